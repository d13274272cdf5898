/**
 * Lists as Invoiced serves them: `page` (from 1) and `per_page` (1 to 100, default 100), a `Link` header
 * (`first`, `prev`, `next`, `last`, absolute URLs keeping the request's other parameters) and
 * `X-Total-Count`; exact-match `filter[field]` and `metadata[key]`, `updated_after` (strictly greater),
 * `start_date` / `end_date` (on `date`, inclusive) and `sort` (`updated_at ASC`, `id DESC`, ...).
 */
import { json, type SandboxOutcome } from '../http';
import { invalidRequest } from './errors';

/** Largest page Invoiced serves. */
export const MAX_PER_PAGE = 100;

/** How a filterable field compares: strings exactly, integers as numbers, booleans from `1/0` or `true/false`. */
export type FilterKind = 'string' | 'integer' | 'boolean';

/** What a collection allows in its list query. */
export interface ListSpec {
  readonly filters: Readonly<Record<string, FilterKind>>;
  /** Whether `metadata[key]` filters apply (payments have no metadata). */
  readonly metadata: boolean;
}

/** A parsed list query. */
export interface ListQuery {
  readonly page: number;
  readonly perPage: number;
  readonly filters: readonly { field: string; value: string | number | boolean }[];
  readonly metadata: readonly { key: string; value: string }[];
  readonly updatedAfter: number | undefined;
  readonly startDate: number | undefined;
  readonly endDate: number | undefined;
  readonly sort: { field: string; descending: boolean };
}

/** Fields `sort` accepts. */
const SORTABLE: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'date']);
/** Parameters Invoiced accepts on lists that change nothing here. */
const IGNORED: ReadonlySet<string> = new Set(['expand', 'include', 'exclude']);

function integer(value: string, param: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw invalidRequest(`Invalid ${param}: must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}.`, param);
  }
  return parsed;
}

function filterValue(kind: FilterKind, value: string, param: string): string | number | boolean {
  if (kind === 'string') return value;
  if (kind === 'integer') {
    if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid ${param}: must be an integer.`, param);
    return Number(value);
  }
  const normalized = value.toLowerCase();
  if (normalized === '1' || normalized === 'true') return true;
  if (normalized === '0' || normalized === 'false') return false;
  throw invalidRequest(`Invalid ${param}: must be 1, 0, true or false.`, param);
}

/** Parses a list request's query, or throws a 400 naming the parameter at fault. */
export function parseListQuery(url: URL, spec: ListSpec): ListQuery {
  let page = 1;
  let perPage = MAX_PER_PAGE;
  let updatedAfter: number | undefined;
  let startDate: number | undefined;
  let endDate: number | undefined;
  let sort = { field: 'id', descending: false };
  const filters: { field: string; value: string | number | boolean }[] = [];
  const metadata: { key: string; value: string }[] = [];

  for (const [key, value] of url.searchParams) {
    const bracket = /^(filter|metadata)\[(.*)\]$/.exec(key);
    if (bracket !== null) {
      const [, kind = '', field = ''] = bracket;
      if (kind === 'metadata') {
        if (!spec.metadata) throw invalidRequest('This object does not have metadata.', key);
        if (field === '') throw invalidRequest('Metadata filter keys must not be empty.', key);
        metadata.push({ key: field, value });
        continue;
      }
      const filterKind = spec.filters[field];
      if (filterKind === undefined) throw invalidRequest(`Invalid filter parameter: ${field}`, key);
      filters.push({ field, value: filterValue(filterKind, value, key) });
      continue;
    }
    switch (key) {
      case 'page':
        page = integer(value, key, 1);
        break;
      case 'per_page':
        perPage = integer(value, key, 1, MAX_PER_PAGE);
        break;
      case 'updated_after':
        updatedAfter = integer(value, key, 0);
        break;
      case 'start_date':
        startDate = integer(value, key, 0);
        break;
      case 'end_date':
        endDate = integer(value, key, 0);
        break;
      case 'sort': {
        const match = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/i.exec(value);
        const field = match?.[1]?.toLowerCase();
        if (field === undefined || !SORTABLE.has(field)) {
          throw invalidRequest(`Invalid sort: use one of ${[...SORTABLE].join(', ')}, followed by ASC or DESC.`, key);
        }
        sort = { field, descending: match?.[2]?.toLowerCase() === 'desc' };
        break;
      }
      default:
        if (!IGNORED.has(key)) throw invalidRequest(`Received unknown parameter: ${key}`, key);
    }
  }
  return { page, perPage, filters, metadata, updatedAfter, startDate, endDate, sort };
}

type Listable = Readonly<{ id: number }> & object;

const field = (record: Listable, name: string): unknown => (record as Readonly<Record<string, unknown>>)[name];

/** The records matching the query, in its order (ties broken by ascending ID). */
export function selectRecords<T extends Listable>(records: readonly T[], query: ListQuery): T[] {
  const matching = records.filter((record) => {
    for (const filter of query.filters) if (field(record, filter.field) !== filter.value) return false;
    const metadata = (field(record, 'metadata') ?? {}) as Readonly<Record<string, string>>;
    for (const { key, value } of query.metadata) if (metadata[key] !== value) return false;
    const updatedAt = field(record, 'updated_at');
    if (query.updatedAfter !== undefined && !(typeof updatedAt === 'number' && updatedAt > query.updatedAfter)) return false;
    const date = field(record, 'date');
    if (query.startDate !== undefined && !(typeof date === 'number' && date >= query.startDate)) return false;
    if (query.endDate !== undefined && !(typeof date === 'number' && date <= query.endDate)) return false;
    return true;
  });
  const { field: sortField, descending } = query.sort;
  const sortValue = (record: T) => {
    const value = field(record, sortField);
    return typeof value === 'number' ? value : 0;
  };
  return matching.sort((a, b) => {
    const primary = descending ? sortValue(b) - sortValue(a) : sortValue(a) - sortValue(b);
    return primary !== 0 ? primary : a.id - b.id;
  });
}

/** The URL of another page: the request's URL with `page` and `per_page` replaced, other parameters kept as sent. */
function pageUrl(url: URL, page: number, perPage: number): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => {
      if (part === '') return false;
      const name = part.split('=')[0] ?? '';
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is kept as is; it cannot be page or per_page.
      }
      return decoded !== 'page' && decoded !== 'per_page';
    });
  return `${url.origin}${url.pathname}?${[...kept, `page=${page}`, `per_page=${perPage}`].join('&')}`;
}

/** One page of `records` (already selected and ordered) as Invoiced answers it. */
export function listResponse(records: readonly unknown[], query: ListQuery, url: URL): SandboxOutcome {
  const total = records.length;
  const lastPage = Math.max(1, Math.ceil(total / query.perPage));
  const start = (query.page - 1) * query.perPage;
  const links = [`<${pageUrl(url, 1, query.perPage)}>; rel="first"`];
  if (query.page > 1) links.push(`<${pageUrl(url, Math.min(query.page - 1, lastPage), query.perPage)}>; rel="prev"`);
  if (query.page < lastPage) links.push(`<${pageUrl(url, query.page + 1, query.perPage)}>; rel="next"`);
  links.push(`<${pageUrl(url, lastPage, query.perPage)}>; rel="last"`);
  return json(200, records.slice(start, start + query.perPage), { link: links.join(', '), 'x-total-count': String(total) });
}
