/**
 * What a list is selected from, and the listings kept between its pages. A collection's list filters and
 * sorts its records as kept, reading a field off the kept record when the answered record has the same
 * value there (`id`, `customer`, `draft`, `updated_at`, `metadata`...) and off the answered record only
 * for a derived field (`status`, `balance`, `paid`...); only the records of the page are answered. So a
 * page costs what it holds plus a pass over the kept records, unless the query reads a derived field.
 */
import type { InvoicedDatabase } from './database';
import { fieldsRead, selectRecords, type ListQuery } from './listing';

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
}

/**
 * A collection's list: its kept records (a map by ID), the fields they share with the answered record
 * (same name, same value), and how one is answered.
 */
export function keptSource<S extends Listable, T extends Listable>(
  records: ReadonlyMap<number, S>,
  kept: readonly (keyof S & keyof T & string)[],
  render: (record: S) => T,
): ListSource {
  return { records: () => records.values(), kept: new Set(kept), render: (record) => render(record as S) };
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
    const records = kept === null ? selectRecords(source.records(), query) : selectRecords(source.records(), query, reader(source, kept));
    if (this.#listings.size > 50) this.#listings.clear();
    this.#listings.set(key, { version: db.version, second, records });
    return records;
  }
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
