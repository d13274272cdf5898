/**
 * Lists as Invoiced serves them: `page` (from 1) and `per_page` (default 100, at most 100: a larger
 * value is lowered, not refused), both read as PHP reads integers; a `Link` header with `self`, `first`,
 * `previous`, `next` (not on the last page) and `last`, absolute URLs keeping the request's other
 * parameters and leaving out the default `per_page`; and `X-Total-Count` (`paginate=none`: neither).
 * Exact-match `filter[field]` and `metadata[key]`, `updated_after` / `updated_before` (strict, ignored
 * unless a positive integer), `start_date` / `end_date` (on `date`, inclusive, ignored unless a positive
 * number) and `sort` (see `sorting.ts`). Customers and payments refuse an option they do not define, as
 * Invoiced's option check does; invoices and credit notes check no option, so they ignore what they do not
 * read. Options Invoiced reads that the sandbox does not model are refused in the sandbox's own words.
 * Which records a page holds (by cursor or by offset) is `cursors.ts`'s.
 */
import { json, type SandboxOutcome } from '../http';
import { invalidRequest } from './errors';
import { compareBy, ownProperty, parseSort, type FieldReader, type SortSpec, type SortTerm } from './sorting';

/** Largest page Invoiced serves, and the default size. */
export const MAX_PER_PAGE = 100;

/** How a filterable field compares: strings exactly, integers as numbers, booleans from `1/0` or `true/false`. */
export type FilterKind = 'string' | 'integer' | 'boolean';

/** What a collection allows in its list query (see `list-specs.ts`). */
export interface ListSpec {
  readonly filters: Readonly<Record<string, FilterKind>>;
  readonly options: {
    /** The options the route defines, which it checks (customers, payments); `null`: no check at all. */
    readonly defined: readonly string[] | null;
    /** Options Invoiced reads on this list that the sandbox does not model. */
    readonly notSimulated: readonly string[];
  };
  /**
   * `start_date` / `end_date`: typed numeric (a non-number refused), read leniently (a non-number
   * ignored), or not an option of this list.
   */
  readonly dates: 'numeric' | 'lenient' | 'none';
  readonly sort: SortSpec;
}

/** A parsed list query. */
export interface ListQuery {
  readonly page: number;
  readonly perPage: number;
  readonly filters: readonly { field: string; value: string | number | boolean }[];
  readonly metadata: readonly { key: string; value: string }[];
  readonly updatedAfter: number | undefined;
  readonly updatedBefore: number | undefined;
  /** `paginate=offset` (the default): `Link` and `X-Total-Count`; anything else: neither. */
  readonly paginate: boolean;
  readonly startDate: number | undefined;
  readonly endDate: number | undefined;
  /** The terms records are ordered by, Invoiced's last tie-break included (`id ASC` alone by default). */
  readonly sort: readonly SortTerm[];
}

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

/** The option a query parameter belongs to: `filter[name]` and `include[]` are `filter` and `include`. */
const optionOf = (key: string) => key.replace(/\[.*$/s, '');

/** Symfony's option check, as Invoiced words it (single quotes, sorted names). */
function undefinedOptions(unknown: readonly string[], defined: readonly string[]): never {
  const names = (list: readonly string[]) => `'${[...list].sort().join("', '")}'`;
  const which = unknown.length === 1 ? `The option ${names(unknown)} does not exist.` : `The options ${names(unknown)} do not exist.`;
  throw invalidRequest(`${which} Defined options are: ${names(defined)}.`, 'query');
}

/**
 * A legacy date bound: used when it is a positive number (its integer part); otherwise refused when the
 * route types it numeric, ignored when it does not check it.
 */
function dateBound(value: string, param: string, dates: ListSpec['dates']): number | undefined {
  if (!PHP_NUMERIC.test(value)) {
    if (dates === 'numeric') {
      throw invalidRequest(`The option '${param}' with value '${value}' is expected to be of type 'numeric', but is of type 'string'.`, 'query');
    }
    return undefined;
  }
  const bound = Math.trunc(Number(value));
  return Number(value) > 0 ? bound : undefined;
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

/** Checks the options of a list request before reading them: unknown ones first, as Symfony does. */
function checkOptions(url: URL, spec: ListSpec): void {
  const present = new Set([...url.searchParams.keys()].map(optionOf));
  const { defined, notSimulated } = spec.options;
  if (defined !== null) {
    const unknown = [...present].filter((name) => !defined.includes(name));
    if (unknown.length > 0) undefinedOptions(unknown, defined);
  }
  const unmodelled = notSimulated.filter((name) => present.has(name));
  if (unmodelled.length > 0) {
    throw invalidRequest(`The sandbox does not simulate the list option '${unmodelled[0] ?? ''}' (Invoiced accepts it).`, 'query');
  }
}

/** Parses a list request's query, or throws a 400 naming the parameter at fault. */
export function parseListQuery(url: URL, spec: ListSpec): ListQuery {
  checkOptions(url, spec);
  let page = 1;
  let perPage = MAX_PER_PAGE;
  let updatedAfter: number | undefined;
  let updatedBefore: number | undefined;
  let paginate = true;
  let startDate: number | undefined;
  let endDate: number | undefined;
  let sort: string | null = null;
  const filters: { field: string; value: string | number | boolean }[] = [];
  const metadata: { key: string; value: string }[] = [];

  for (const [key, value] of url.searchParams) {
    const bracket = /^(filter|metadata)\[(.*)\]$/.exec(key);
    if (bracket !== null) {
      const [, kind = '', field = ''] = bracket;
      if (kind === 'metadata') {
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
        // Lists that check their options accept offset and none; the others read anything but offset as none.
        if (spec.options.defined !== null && value !== 'offset' && value !== 'none') {
          throw invalidRequest(`The option 'paginate' with value '${value}' is invalid. Accepted values are: 'offset', 'none'.`, 'query');
        }
        paginate = value === 'offset';
        break;
      case 'start_date':
        if (spec.dates !== 'none') startDate = dateBound(value, key, spec.dates);
        break;
      case 'end_date':
        if (spec.dates !== 'none') endDate = dateBound(value, key, spec.dates);
        break;
      case 'sort':
        sort = value;
        break;
      default:
      // Options read elsewhere (include) or not at all: checkOptions has refused what must be refused.
    }
  }
  return { page, perPage, filters, metadata, updatedAfter, updatedBefore, paginate, startDate, endDate, sort: parseSort(sort, spec.sort) };
}

type Listable = Readonly<{ id: number }> & object;

/** The fields a query reads from the records (besides `id`): its filters, bounds and sort. */
export function fieldsRead(query: ListQuery): string[] {
  const fields = query.filters.map((filter) => filter.field);
  if (query.metadata.length > 0) fields.push('metadata');
  if (query.updatedAfter !== undefined || query.updatedBefore !== undefined) fields.push('updated_at');
  if (query.startDate !== undefined || query.endDate !== undefined) fields.push('date');
  for (const term of query.sort) fields.push(term.field);
  return fields;
}

/** Whether the records are in ascending ID order already. */
function ascendingById(records: readonly Listable[]): boolean {
  for (let index = 1; index < records.length; index += 1) {
    if ((records[index - 1]?.id ?? 0) >= (records[index]?.id ?? 0)) return false;
  }
  return true;
}

/**
 * The records matching the query, in its order (ties broken by ascending ID). `field` reads a record's
 * value of a field as the answered record has it (by default the record's own property), and is asked
 * only for the fields the query reads. `ordered`: the records come in the query's order already, and
 * are not sorted again.
 */
export function selectRecords<T extends Listable>(records: Iterable<T>, query: ListQuery, field: FieldReader<T> = ownProperty, ordered = false): T[] {
  const { metadata: wanted, updatedAfter, updatedBefore, startDate, endDate } = query;
  const filters = query.filters.map(({ field: name, value }) => ({ read: field(name), value }));
  const metadataOf = wanted.length > 0 ? field('metadata') : undefined;
  const updatedAtOf = updatedAfter !== undefined || updatedBefore !== undefined ? field('updated_at') : undefined;
  const dateOf = startDate !== undefined || endDate !== undefined ? field('date') : undefined;
  const matching: T[] = [];
  next: for (const record of records) {
    for (const filter of filters) if (filter.read(record) !== filter.value) continue next;
    if (metadataOf !== undefined) {
      const metadata = (metadataOf(record) ?? {}) as Readonly<Record<string, string>>;
      for (const { key, value } of wanted) if (metadata[key] !== value) continue next;
    }
    if (updatedAtOf !== undefined) {
      const updatedAt = updatedAtOf(record);
      if (updatedAfter !== undefined && !(typeof updatedAt === 'number' && updatedAt > updatedAfter)) continue;
      if (updatedBefore !== undefined && !(typeof updatedAt === 'number' && updatedAt < updatedBefore)) continue;
    }
    if (dateOf !== undefined) {
      const date = dateOf(record);
      if (startDate !== undefined && !(typeof date === 'number' && date >= startDate)) continue;
      if (endDate !== undefined && !(typeof date === 'number' && date <= endDate)) continue;
    }
    matching.push(record);
  }
  if (ordered) return matching;
  // Sorted by ID alone, records kept in ID order need no sort (the comparator would leave them as they are).
  const [only, ...others] = query.sort;
  if (only?.field === 'id' && others.length === 0 && ascendingById(matching)) return only.descending ? matching.reverse() : matching;
  return matching.sort(compareBy(query.sort, field));
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
