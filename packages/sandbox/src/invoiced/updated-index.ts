/**
 * The records of one collection ordered by `updated_at` (then ID), so that a list bounded by
 * `updated_after` / `updated_before` reads the records within its bounds rather than every record of the
 * collection. The database tells the index which records were written (set, deleted, or saved in place, as
 * a payment saves the documents it settles); the index reads their `updated_at` again when next asked, so a
 * record changed in place after its note is read as it is then.
 */

/** A record as the index reads it. */
export interface UpdatedRecord {
  readonly id: number;
  readonly updated_at: number;
}

/** The order records are given in: by ID, or by `updated_at` then ID. */
export type UpdatedOrder = 'id' | 'updated';

/**
 * Past this many written records (or a quarter of the index), the index sorts every record again rather
 * than move each one: a move shifts the entries after it, a sort costs about as much as a few hundred moves.
 */
const MOST_MOVES = 512;

export class UpdatedIndex<T extends UpdatedRecord> {
  /** The collection, by ID (each record kept under its own ID). */
  readonly #records: ReadonlyMap<number, T>;
  /** The indexed records, by ascending `updated_at` (as indexed), then ascending ID, and their `updated_at` as indexed. */
  #entries: T[] = [];
  #times: number[] = [];
  /** ID → the `updated_at` the record is indexed at (a record saved in place may carry another by now). */
  readonly #indexed = new Map<number, number>();
  /** Records written since the index was last brought up to date. */
  readonly #written = new Set<number>();
  /** Whether every record must be indexed anew (at first, and after the collection was cleared). */
  #stale = true;

  constructor(records: ReadonlyMap<number, T>) {
    this.#records = records;
  }

  /** Notes that a record was written (created, changed, saved in place or deleted). */
  written(id: number): void {
    if (!this.#stale) this.#written.add(id);
  }

  /** Notes that the collection was cleared or replaced wholesale. */
  reset(): void {
    this.#stale = true;
    this.#written.clear();
  }

  /**
   * The records whose `updated_at` is strictly after `after` and strictly before `before` (a bound left
   * `undefined` is no bound), in ascending ID order (the order the collection keeps them in), or with
   * `order` `updated`, by ascending `updated_at`, then ascending ID.
   */
  within(after: number | undefined, before: number | undefined, order: UpdatedOrder = 'id'): T[] {
    this.#refresh();
    const start = after === undefined ? 0 : this.#position(after, Number.POSITIVE_INFINITY);
    const end = before === undefined ? this.#times.length : this.#position(before, Number.NEGATIVE_INFINITY);
    if (end <= start) return [];
    if (order === 'updated') return this.#entries.slice(start, end);
    if ((end - start) * 2 <= this.#times.length) return this.#entries.slice(start, end).sort((a, b) => a.id - b.id);
    // Most records are within: a pass over the collection, kept in ID order, costs less than sorting them.
    const records: T[] = [];
    for (const record of this.#records.values()) {
      const time = record.updated_at;
      if (indexable(time) && (after === undefined || time > after) && (before === undefined || time < before)) records.push(record);
    }
    return records;
  }

  /** Where `(time, id)` goes in the index: the number of entries ordered before it. */
  #position(time: number, id: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = this.#times[middle] ?? 0;
      if (at < time || (at === time && (this.#entries[middle]?.id ?? 0) < id)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #refresh(): void {
    if (this.#stale || this.#written.size > Math.min(MOST_MOVES, this.#times.length / 4)) {
      this.#rebuild();
      return;
    }
    for (const id of this.#written) {
      const was = this.#indexed.get(id);
      if (was !== undefined) {
        const at = this.#position(was, id);
        this.#entries.splice(at, 1);
        this.#times.splice(at, 1);
        this.#indexed.delete(id);
      }
      const record = this.#records.get(id);
      if (record === undefined || !indexable(record.updated_at)) continue;
      const time = record.updated_at;
      const at = this.#position(time, id);
      this.#entries.splice(at, 0, record);
      this.#times.splice(at, 0, time);
      this.#indexed.set(id, time);
    }
    this.#written.clear();
  }

  #rebuild(): void {
    const entries: { time: number; record: T }[] = [];
    for (const record of this.#records.values()) if (indexable(record.updated_at)) entries.push({ time: record.updated_at, record });
    entries.sort((a, b) => a.time - b.time || a.record.id - b.record.id);
    this.#entries = entries.map((entry) => entry.record);
    this.#times = entries.map((entry) => entry.time);
    this.#indexed.clear();
    for (const { time, record } of entries) this.#indexed.set(record.id, time);
    this.#written.clear();
    this.#stale = false;
  }
}

/** A time the index can order: a number (a record without one is never within bounds). */
function indexable(time: unknown): time is number {
  return typeof time === 'number' && !Number.isNaN(time);
}
