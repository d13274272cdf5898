/**
 * Edge cases at stable proportions. Drawing each record's kind with `random.chance()` would let small books
 * miss a case; these schedules place it on a fixed cycle instead, from a seed-dependent start.
 */
import type { Random } from '../random';

/** A predicate true for one index in `cycle`, at a seed-dependent offset: a stable proportion that is never missed. */
export function every(random: Random, cycle: number): (index: number) => boolean {
  const offset = random.int(0, cycle - 1);
  return (index) => (index + offset) % cycle === 0;
}

/** Elements of `pattern` in turn from a seed-dependent start. */
export function cycleOf<T>(random: Random, pattern: readonly T[]): (index: number) => T {
  const offset = random.int(0, pattern.length - 1);
  return (index) => pattern[(index + offset) % pattern.length]!;
}
