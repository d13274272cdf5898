/**
 * How Invoiced pages a list sorted by ID alone (its default, and what `sort=updated_at` without a direction
 * comes to; `id DESC` gets `id ASC` appended, so it is not ID alone): after each page it keeps the last ID as a
 * cursor for the next page's offset (5 minutes), and serves that page as "the next `per_page` records after
 * the cursor" rather than by offset, so a record added or removed in between does not shift it. From an
 * offset of 10,000 on, a page without a cursor (its predecessor not read) is refused: the API reference's
 * "pages must be fetched sequentially". Other sorts are paged by offset at any depth.
 */
import { invalidRequest } from './errors';
import type { ListQuery } from './listing';

/** How long Invoiced keeps a cursor. */
export const CURSOR_TTL_MS = 5 * 60 * 1000;
/** The offset from which a page needs a cursor. */
export const CURSOR_REQUIRED_OFFSET = 10_000;

/** The cursors of one account, by list (collection and conditions) and offset. */
export class PaginationCursors {
  readonly #cursors = new Map<string, { id: number; storedAtMs: number }>();

  find(key: string, nowMs: number): number | undefined {
    const cursor = this.#cursors.get(key);
    if (cursor === undefined || nowMs - cursor.storedAtMs >= CURSOR_TTL_MS) return undefined;
    return cursor.id;
  }

  keep(key: string, id: number, nowMs: number): void {
    if (this.#cursors.size > 1000) this.#cursors.clear();
    this.#cursors.set(key, { id, storedAtMs: nowMs });
  }

  reset(): void {
    this.#cursors.clear();
  }
}

/** The list a cursor belongs to: its collection and conditions (not its sort or page size, as Invoiced keys it). */
function listKey(collection: string, query: ListQuery, offset: number): string {
  const { filters, metadata, updatedAfter, updatedBefore, startDate, endDate } = query;
  return JSON.stringify([collection, filters, metadata, updatedAfter, updatedBefore, startDate, endDate, offset]);
}

/**
 * Where the records after a cursor start: the first with a greater ID (a smaller one when `descending`),
 * found by halving, as the records of a list sorted by ID alone are in strict ID order.
 */
function firstAfter(records: readonly { readonly id: number }[], cursor: number, descending: boolean): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const id = records[middle]?.id ?? 0;
    if (descending ? id < cursor : id > cursor) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The records of the page `query` asks for, out of every matching record in order (`selectRecords`'s: a
 * list sorted by ID alone in strict ID order); throws Invoiced's 400 for a deep page whose predecessor
 * was not read.
 */
export function pageOf<T extends { readonly id: number }>(
  cursors: PaginationCursors,
  collection: string,
  records: readonly T[],
  query: ListQuery,
  nowMs: number,
): readonly T[] {
  const offset = (query.page - 1) * query.perPage;
  // Invoiced pages by cursor only when the records are sorted by ID alone.
  const [only, ...others] = query.sort;
  const byId = only?.field === 'id' && others.length === 0;
  const descending = only?.descending === true;
  let page: readonly T[];
  const cursor = byId && offset > 0 ? cursors.find(listKey(collection, query, offset), nowMs) : undefined;
  if (cursor !== undefined) {
    const start = firstAfter(records, cursor, descending);
    page = records.slice(start, start + query.perPage);
  } else {
    if (byId && offset >= CURSOR_REQUIRED_OFFSET) {
      throw invalidRequest('You must retrieve all preceding page numbers before retrieving this page.');
    }
    page = records.slice(offset, offset + query.perPage);
  }
  const last = page.at(-1);
  if (byId && last !== undefined) cursors.keep(listKey(collection, query, query.page * query.perPage), last.id, nowMs);
  return page;
}
