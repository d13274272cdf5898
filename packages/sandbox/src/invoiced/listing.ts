/**
 * Lists as Invoiced serves them: `page` (from 1) and `per_page` (default 100, at most 100: a larger
 * value is lowered, not refused), both read as PHP reads integers; a `Link` header with `self`, `first`,
 * `previous`, `next` (not on the last page) and `last`, absolute URLs keeping the request's other
 * parameters and leaving out the default `per_page`; and `X-Total-Count` (`paginate=none`: neither).
 * Exact-match `filter[field]` and `metadata[key]`, `updated_after` / `updated_before` (strict, ignored
 * unless a positive integer), `start_date` / `end_date` (on `date`, inclusive) and `sort`
 * (`updated_at ASC`, `id DESC`, ...). An unknown parameter is refused as Invoiced's option check does.
 * Which records a page holds (by cursor or by offset) is `cursors.ts`'s.
 */
import { json, type SandboxOutcome } from '../http';
import { invalidRequest } from './errors';

/** Largest page Invoiced serves, and the default size. */
export const MAX_PER_PAGE = 100;

/** How a filterable field compares: strings exactly, integers as numbers, booleans from `1/0` or `true/false`. */
export type FilterKind = 'string' | 'integer' | 'boolean';

/** What a collection allows in its list query. */
export interface ListSpec {
  readonly filters: Readonly<Record<string, FilterKind>>;
  /** Whether `metadata[key]` filters apply (every collection modelled has metadata). */
  readonly metadata: boolean;
}

/** A parsed list query. */
export interface ListQuery {
  readonly page: number;
  readonly perPage: number;
  readonly filters: readonly { field: string; value: string | number | boolean }[];
  readonly metadata: readonly { key: string; value: string }[];
  readonly updatedAfter: number | undefined;
  readonly updatedBefore: number | undefined;
  /** `paginate=none`: no `Link` or `X-Total-Count`. */
  readonly paginate: boolean;
  readonly startDate: number | undefined;
  readonly endDate: number | undefined;
  readonly sort: { field: string; descending: boolean };
}

/** Fields `sort` accepts. */
const SORTABLE: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'date']);
/** Parameters Invoiced accepts on lists that change nothing here (`include` shapes each record). */
const IGNORED: ReadonlySet<string> = new Set(['expand', 'include', 'exclude']);
/** Every list option the simulated lists read, as Invoiced names its options. */
const OPTIONS = ['end_date', 'exclude', 'expand', 'filter', 'include', 'page', 'paginate', 'per_page', 'sort', 'start_date', 'updated_after', 'updated_before'];

/** An integer as PHP's `(int)` reads a string: leading digits, with a sign; anything else is 0. */
export function phpInteger(value: string): number {
  const match = /^\s*([+-]?\d+)/.exec(value);
  const parsed = match === null ? 0 : Number(match[1]);
  return Number.isSafeInteger(parsed) ? parsed : Math.sign(parsed) * Number.MAX_SAFE_INTEGER;
}

/** What PHP's `is_numeric` accepts (`12`, `-5`, `1e5`, `1.5`). */
const PHP_NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** PHP's truthiness of a query string: '' and '0' are false. */
const truthy = (value: string) => value !== '' && value !== '0';

/** A timestamp option Invoiced types as numeric: anything else is refused by its option check. */
function numeric(value: string, param: string): number {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) {
    throw invalidRequest(`The option '${param}' with value '${value}' is expected to be of type 'numeric', but is of type 'string'.`, 'query');
  }
  return Math.trunc(Number(value));
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
  let updatedBefore: number | undefined;
  let paginate = true;
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
        // Invoiced skips a key that PHP reads as a number (`metadata[]`, `metadata[12]`) or that has
        // characters outside letters, digits, `_` and `-`, rather than refusing it.
        if (field === '' || PHP_NUMERIC.test(field) || !/^[A-Za-z0-9_-]+$/.test(field)) continue;
        metadata.push({ key: field, value });
        continue;
      }
      const filterKind = spec.filters[field];
      if (filterKind === undefined) throw invalidRequest(`Invalid filter parameter: ${field}`);
      filters.push({ field, value: filterValue(filterKind, value, key) });
      continue;
    }
    switch (key) {
      case 'page':
        if (truthy(value)) page = Math.max(1, phpInteger(value));
        break;
      case 'per_page':
        if (truthy(value)) perPage = Math.max(1, Math.min(MAX_PER_PAGE, phpInteger(value)));
        break;
      case 'updated_after':
        if (phpInteger(value) > 0) updatedAfter = phpInteger(value);
        break;
      case 'updated_before':
        if (phpInteger(value) > 0) updatedBefore = phpInteger(value);
        break;
      case 'paginate':
        if (value !== 'offset' && value !== 'none') {
          throw invalidRequest(`The option 'paginate' with value '${value}' is invalid. Accepted values are: 'offset', 'none'.`, 'query');
        }
        paginate = value === 'offset';
        break;
      case 'start_date':
        startDate = numeric(value, key);
        break;
      case 'end_date':
        endDate = numeric(value, key);
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
        if (!IGNORED.has(key)) {
          const defined = [...OPTIONS, ...(spec.metadata ? ['metadata'] : [])].sort();
          throw invalidRequest(`The option '${key}' does not exist. Defined options are: '${defined.join("', '")}'.`, 'query');
        }
    }
  }
  return { page, perPage, filters, metadata, updatedAfter, updatedBefore, paginate, startDate, endDate, sort };
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
    if (query.updatedBefore !== undefined && !(typeof updatedAt === 'number' && updatedAt < query.updatedBefore)) return false;
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

/**
 * The URL of another page: the request's URL with `page` and `per_page` replaced (the other parameters
 * kept as sent), and `per_page` left out when it is the default, as Invoiced writes its links.
 */
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
  const paging = perPage === MAX_PER_PAGE ? [`page=${page}`] : [`page=${page}`, `per_page=${perPage}`];
  return `${url.origin}${url.pathname}?${[...kept, ...paging].join('&')}`;
}

/**
 * The answer to a list request: the records of the page (see `pageOf`), each passed through `answer`
 * (which shapes it for the request, e.g. its `include`), with the `Link` and `X-Total-Count` of `total`
 * matching records.
 */
export function listResponse(
  total: number,
  records: readonly unknown[],
  query: ListQuery,
  url: URL,
  answer: (record: unknown) => unknown = (record) => record,
): SandboxOutcome {
  const page = records.map(answer);
  if (!query.paginate) return json(200, page);
  const lastPage = Math.max(1, Math.ceil(total / query.perPage));
  const link = (target: number, rel: string) => `<${pageUrl(url, target, query.perPage)}>; rel="${rel}"`;
  const links = [link(query.page, 'self'), link(1, 'first')];
  if (query.page > 1) links.push(link(query.page - 1, 'previous'));
  if (query.page < lastPage) links.push(link(query.page + 1, 'next'));
  links.push(link(lastPage, 'last'));
  return json(200, page, { link: links.join(', '), 'x-total-count': String(total) });
}
