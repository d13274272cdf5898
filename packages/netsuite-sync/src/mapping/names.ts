/**
 * Customers are matched across the two services **by name** (the spec's first edge case). Names are
 * compared after {@link normalizeName}; two candidates with the same normalized name are reported as
 * ambiguous, never guessed between.
 */
import { field, flag, text, type RecordLike } from './fields';

/** Typographic apostrophes that mean `'` in a name: ‘ ’ ʼ ＇ ´ and the backtick. */
const APOSTROPHES = /[\u2018\u2019\u02BC\uFF07\u00B4`]/g;
/** Invisible characters left by copy and paste (zero-width space, byte-order mark). */
const INVISIBLE = /[\u200B\uFEFF]/g;

/**
 * The form in which two names are compared:
 * 1. Unicode NFC, so a precomposed `é` equals `e` + combining accent (NFC, not NFKC: compatibility
 *    folding would merge names that are really different, e.g. `ﬁ` and `fi`, superscripts, full-width forms);
 * 2. typographic apostrophes become `'` (`O’Brien` equals `O'Brien`), zero-width spaces are dropped;
 * 3. trimmed, and every run of whitespace (including no-break spaces) becomes one space;
 * 4. lower case by `toLocaleLowerCase('en-US')`, the same in every runtime locale (a Turkish server
 *    must not turn `I` into dotless `ı`); this is lower-casing, not full case folding: `ß` stays `ß`.
 * Nothing else is removed: accents (`Café` ≠ `Cafe`), punctuation (`Acme, Inc.` ≠ `Acme Inc`) and legal
 * suffixes still tell names apart, because a wrong match is worse than none.
 * @example normalizeName('  ACME\u00A0  Corp ') === 'acme corp'; normalizeName('O’Brien') === "o'brien";
 */
export function normalizeName(name: string): string {
  if (typeof name !== 'string') return '';
  return name
    .normalize('NFC')
    .replace(APOSTROPHES, "'")
    .replace(INVISIBLE, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('en-US')
    .normalize('NFC');
}

/** Trimmed, inner whitespace collapsed, case kept. */
function tidy(value: string | undefined): string | undefined {
  const tidied = value?.replace(/\s+/g, ' ').trim();
  return tidied === '' ? undefined : tidied;
}

/**
 * The name a NetSuite customer is known by, from a REST record or a SuiteQL row: for a person
 * (`isPerson`), first + last name; for a company, the company name; each falling back to the other, then
 * to `entityId`. `''` when the record has none of them. Case and accents are kept.
 * @example
 * customerDisplayName({ id: '7', companyName: 'Acme Corp' }) === 'Acme Corp';
 * customerDisplayName({ id: '8', isperson: 'T', firstname: 'Ada', lastname: 'Lovelace' }) === 'Ada Lovelace';
 */
export function customerDisplayName(customer: RecordLike): string {
  const company = tidy(text(field(customer, 'companyName')));
  const person = tidy([text(field(customer, 'firstName')), text(field(customer, 'lastName'))].filter((part) => part !== undefined).join(' '));
  const entityId = tidy(text(field(customer, 'entityId')));
  const isPerson = flag(field(customer, 'isPerson')) === true;
  return (isPerson ? (person ?? company) : (company ?? person)) ?? entityId ?? '';
}

/** A customer that a name can match. */
export interface NameCandidate {
  readonly id: string;
  readonly name: string;
}

/** What {@link matchCustomerByName} found. */
export type NameMatch =
  | { readonly kind: 'matched'; readonly id: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly ids: string[]; readonly names: string[] };

/** Candidates grouped by normalized name, for matching many names against one list. */
export interface CustomerNameIndex {
  /** The match of one name, as {@link matchCustomerByName}. */
  match(name: string): NameMatch;
  /** Adds a candidate (e.g. a customer just created). */
  add(candidate: NameCandidate): void;
}

/**
 * An index of candidates by normalized name: build it once per run, then match each name in O(1).
 * @example
 * const index = indexCustomersByName(invoicedCustomers.map((c) => ({ id: String(c.id), name: c.name })));
 * index.match('ACME corp'); // { kind: 'matched', id: '15444' }
 */
export function indexCustomersByName(candidates: Iterable<NameCandidate>): CustomerNameIndex {
  const groups = new Map<string, NameCandidate[]>();
  const add = (candidate: NameCandidate) => {
    const key = normalizeName(candidate.name);
    if (key === '') return;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [candidate]);
    else if (!group.some((existing) => existing.id === candidate.id)) group.push(candidate);
  };
  for (const candidate of candidates) add(candidate);
  return {
    add,
    match(name) {
      const group = groups.get(normalizeName(name)) ?? [];
      const [first] = group;
      if (first === undefined) return { kind: 'none' };
      if (group.length === 1) return { kind: 'matched', id: first.id };
      return { kind: 'ambiguous', ids: group.map((candidate) => candidate.id), names: group.map((candidate) => candidate.name) };
    },
  };
}

/**
 * Finds the one candidate whose name equals `name` after {@link normalizeName}. Two or more candidates
 * with that name (different IDs) are `ambiguous`, with their IDs and names as given, so the user can
 * rename or merge them; an empty name matches nothing. For many lookups use {@link indexCustomersByName}.
 * @example
 * matchCustomerByName('Acme Corp', [{ id: '1', name: 'ACME  corp' }]); // { kind: 'matched', id: '1' }
 * matchCustomerByName('Acme', [{ id: '1', name: 'Acme' }, { id: '2', name: 'acme' }]);
 * // { kind: 'ambiguous', ids: ['1', '2'], names: ['Acme', 'acme'] }
 */
export function matchCustomerByName(name: string, candidates: readonly NameCandidate[]): NameMatch {
  const target = normalizeName(name);
  if (target === '') return { kind: 'none' };
  return indexCustomersByName(candidates.filter((candidate) => normalizeName(candidate.name) === target)).match(name);
}
