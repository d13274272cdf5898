/**
 * A small seeded pseudo-random generator (mulberry32), so generated books, latencies and fault plans are
 * the same for the same seed on every machine.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A generator of its own, derived from this seed and `label`, so adding draws elsewhere does not shift it. */
  fork(label: string): Random;
  /** The seed this generator started from. */
  readonly seed: number;
}

/** Hashes a string or number into a 32-bit seed. */
export function seedOf(value: string | number): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value >>> 0;
  const text = String(value);
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/**
 * Creates a seeded generator.
 * @example
 * const random = createRandom(42);
 * random.int(1, 6); // always the same sequence for seed 42
 */
export function createRandom(seed: string | number = 1): Random {
  const start = seedOf(seed);
  let state = start;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: start,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
    fork: (label) => createRandom(seedOf(`${start}:${label}`)),
  };
}
