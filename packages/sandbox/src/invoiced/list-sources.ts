/**
 * What a list is selected from, and the listings kept between its pages. A collection's list filters and
 * sorts its records as kept, reading a field off the kept record when the answered record has the same
 * value there (`id`, `customer`, `draft`, `updated_at`, `metadata`...) and off the answered record only
 * for a derived field (`status`, `balance`, `paid`...); only the records of the page are answered. So a
 * page costs what it holds plus a pass over the kept records, unless the query reads a derived field; a
 * list bounded by `updated_after` / `updated_before` passes over the records within its bounds only (the
 * collection's index by `updated_at`, see `updated-index.ts`).
 */
import type { InvoicedDatabase } from './database';
import { fieldsRead, selectRecords, type ListQuery } from './listing';
import type { UpdatedOrder } from './updated-index';

type Listable = Readonly<{ id: number }> & object;

/** The records of a list, and how one is answered. */
export interface ListSource {
  /** Every record, in the order the collection keeps them (ascending ID). */
  records(): Iterable<Listable>;
  /**
   * The fields whose value on a kept record is the answered record's; `null` when the records are the
   * answered ones already (rendered with the clock when they were listed).
   */
  readonly kept: ReadonlySet<string> | null;
  /** The record as answered. */
  render(record: Listable): Listable;
  /**
   * The records whose kept `updated_at` is strictly between the bounds (`undefined`: no bound), in the
   * order of {@link records} or (`updated`) by ascending `updated_at`, then ID: what a list bounded by
   * `updated_after` / `updated_before` selects from, rather than every record. Absent: the list reads
   * every record.
   */
  readonly updatedWithin?: (after: number | undefined, before: number | undefined, order: UpdatedOrder) => Iterable<Listable>;
}

/**
 * A collection's list: its kept records (a map by ID), the fields they share with the answered record
 * (same name, same value), and how one is answered.
 */
export function keptSource<S extends Listable, T extends Listable>(
  records: ReadonlyMap<number, S>,
  kept: readonly (keyof S & keyof T & string)[],
  render: (record: S) => T,
  updatedWithin?: (after: number | undefined, before: number | undefined, order: UpdatedOrder) => Iterable<S>,
): ListSource {
  const source: ListSource = { records: () => records.values(), kept: new Set(kept), render: (record) => render(record as S) };
  return updatedWithin === undefined ? source : { ...source, updatedWithin };
}

/** A list of records that are answered as they are (events, refunds): rendered anew for each listing. */
export function answeredSource(renderAll: () => Listable[]): ListSource {
  return { records: renderAll, kept: null, render: (record) => record };
}

/**
 * Selected listings, by list and query (the page aside), while the data stays the same, and, when the
 * listing read the clock (a derived field, or records answered when listed), the clock's second too:
 * paging through a long list selects it once, not once per page, as a database with indexes would spare
 * Invoiced. Only the latest listing per query is kept.
 */
export class ListingCache {
  readonly #listings = new Map<string, { version: number; second: number | null; records: readonly Listable[] }>();

  /** The records matching the query, in its order, as kept (see {@link ListSource.render} for the answer). */
  select(db: InvoicedDatabase, name: string, source: ListSource, query: ListQuery): readonly Listable[] {
    const { kept } = source;
    const { page: _page, perPage: _perPage, ...rest } = query;
    const key = `${name}?${JSON.stringify(rest)}`;
    const timed = kept === null || fieldsRead(query).some((field) => !kept.has(field));
    const second = timed ? db.now() : null;
    const listed = this.#listings.get(key);
    if (listed !== undefined && listed.version === db.version && listed.second === second) return listed.records;
    let records: Listable[];
    if (kept === null) records = selectRecords(source.records(), query);
    else {
      const { from, ordered } = candidates(source, kept, query);
      records = selectRecords(from, query, reader(source, kept), ordered);
    }
    if (this.#listings.size > 50) this.#listings.clear();
    this.#listings.set(key, { version: db.version, second, records });
    return records;
  }
}

/**
 * The records a listing selects from: those within its `updated_after` / `updated_before` bounds when it
 * has them and the source keeps `updated_at` as answered (the same records `selectRecords` would keep of
 * all), every record otherwise; `ordered` when they come in the query's order already: sorted by
 * `updated_at ASC` (then `id ASC`, Invoiced's tie-break), the index's own order, which the sort would
 * give them (numbers by value, ties by ascending ID).
 */
function candidates(source: ListSource, kept: ReadonlySet<string>, query: ListQuery): { from: Iterable<Listable>; ordered: boolean } {
  const { updatedAfter, updatedBefore, sort } = query;
  const bounded = updatedAfter !== undefined || updatedBefore !== undefined;
  if (!bounded || source.updatedWithin === undefined || !kept.has('updated_at')) return { from: source.records(), ordered: false };
  const [first, second, ...others] = sort;
  const ordered = first?.field === 'updated_at' && !first.descending && second?.field === 'id' && !second.descending && others.length === 0;
  return { from: source.updatedWithin(updatedAfter, updatedBefore, ordered ? 'updated' : 'id'), ordered };
}

/** Reads a field off the kept record when it is kept as answered, off the answered record (rendered once) otherwise. */
function reader(source: ListSource, kept: ReadonlySet<string>): (field: string) => (record: Listable) => unknown {
  const answered = new Map<Listable, Readonly<Record<string, unknown>>>();
  const answer = (record: Listable) => {
    let rendered = answered.get(record);
    if (rendered === undefined) {
      rendered = source.render(record);
      answered.set(record, rendered);
    }
    return rendered;
  };
  return (field) => (kept.has(field) ? (record) => (record as Readonly<Record<string, unknown>>)[field] : (record) => answer(record)[field]);
}
