/**
 * The `q` parameter of record collections, compiled to SQL over the simulator's tables, as Oracle's
 * "Record Collection Filtering" describes it: `field OPERATOR value` conditions joined with AND (binding
 * tighter) and OR, grouped with parentheses, e.g.
 * `(lastModifiedDate ON_OR_AFTER "2026-01-01" OR total BETWEEN [10, 20]) AND status ANY_OF ["open", "B"]`.
 * Operators by field type are that page's: EMPTY/EMPTY_NOT for any field; booleans IS/IS_NOT; text IS,
 * CONTAIN, START_WITH, END_WITH; numbers EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, ANY_OF,
 * BETWEEN, WITHIN; dates ON, AFTER, ON_OR_AFTER, BEFORE, ON_OR_BEFORE; each with its `_NOT` form. Select
 * fields (references, status, id) take ANY_OF, IS and EQUAL (+ `_NOT`) over internal IDs.
 * Text matching is case-insensitive; a date without a time means the whole day (UTC).
 * Anything else is refused with 400 `INVALID_PARAMETER` naming `q`, as NetSuite refuses what it cannot run.
 */
import { nextDay, parseOracleDate, parseRestDateTime, type Stamp } from './dates';
import { badRequest } from './errors';
import type { NetSuiteRecordType } from './record-common';

type Kind = 'id' | 'text' | 'date' | 'ref' | 'boolean' | 'number' | 'status';
type FieldMap = Readonly<Record<string, readonly [column: string, kind: Kind]>>;

const TRANSACTION: FieldMap = {
  id: ['id', 'id'],
  tranId: ['tranid', 'text'],
  tranDate: ['trandate', 'date'],
  currency: ['currency', 'ref'],
  subsidiary: ['subsidiary', 'ref'],
  externalId: ['externalid', 'text'],
  memo: ['memo', 'text'],
  status: ['status', 'status'],
  total: ['foreigntotal', 'number'],
  createdDate: ['createddate', 'date'],
  lastModifiedDate: ['lastmodifieddate', 'date'],
};

const FIELDS: Readonly<Record<NetSuiteRecordType, FieldMap>> = {
  customer: {
    id: ['id', 'id'],
    entityId: ['entityid', 'text'],
    companyName: ['companyname', 'text'],
    firstName: ['firstname', 'text'],
    lastName: ['lastname', 'text'],
    email: ['email', 'text'],
    externalId: ['externalid', 'text'],
    isPerson: ['isperson', 'boolean'],
    isInactive: ['isinactive', 'boolean'],
    subsidiary: ['subsidiary', 'ref'],
    currency: ['currency', 'ref'],
    dateCreated: ['datecreated', 'date'],
    lastModifiedDate: ['lastmodifieddate', 'date'],
  },
  invoice: { ...TRANSACTION, entity: ['entity', 'ref'], dueDate: ['duedate', 'date'], amountRemaining: ['foreignamountunpaid', 'number'] },
  creditMemo: { ...TRANSACTION, entity: ['entity', 'ref'], amountRemaining: ['foreignamountunpaid', 'number'] },
  customerPayment: { ...TRANSACTION, customer: ['entity', 'ref'], payment: ['foreigntotal', 'number'] },
  customerRefund: { ...TRANSACTION, customer: ['entity', 'ref'], account: ['account', 'ref'] },
};

const STATUS_LETTERS: Readonly<Record<string, string>> = {
  open: 'A', paidinfull: 'B', fullyapplied: 'B', notdeposited: 'B', deposited: 'C', voided: 'V',
};

/** A compiled filter. */
export interface CompiledFilter {
  readonly sql: string;
  readonly params: (string | number)[];
}

function refuse(detail: string): never {
  throw badRequest('INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. ${detail}`, { queryParam: 'q' });
}

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[|\]|\(|\)|,|[^\s[\](),"']+)/y;
  let match: RegExpExecArray | null;
  let position = 0;
  while ((match = pattern.exec(q)) !== null) {
    tokens.push(match[1] ?? '');
    position = pattern.lastIndex;
  }
  if (q.slice(position).trim() !== '') refuse(`Unexpected text at ${position}.`);
  return tokens;
}

function unquote(token: string): string {
  return /^["']/.test(token) ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
}

function dateValue(text: string): { stamp: Stamp; wholeDay: boolean } {
  const exact = parseRestDateTime(text);
  if (exact !== undefined) return { stamp: exact, wholeDay: false };
  try {
    return { stamp: parseOracleDate(text), wholeDay: !/\d:\d/.test(text) };
  } catch {
    return refuse(`Invalid date value ${JSON.stringify(text)}.`);
  }
}

function condition(recordType: NetSuiteRecordType, field: string, operator: string, values: string[]): CompiledFilter {
  const entry = Object.entries(FIELDS[recordType]).find(([name]) => name.toLowerCase() === field.toLowerCase())?.[1];
  if (entry === undefined) refuse(`Unknown or unsupported field ${JSON.stringify(field)} for ${recordType}.`);
  const [column, kind] = entry;
  const op = operator.toUpperCase();
  const one = () => {
    if (values.length !== 1) refuse(`Operator ${op} takes one value.`);
    return values[0] ?? '';
  };
  if (op === 'EMPTY') return { sql: `(${column} IS NULL OR ${column} = '')`, params: [] };
  if (op === 'EMPTY_NOT') return { sql: `(${column} IS NOT NULL AND ${column} <> '')`, params: [] };
  const negate = (compiled: CompiledFilter, negated: boolean): CompiledFilter => (negated ? { sql: `NOT ${compiled.sql}`, params: compiled.params } : compiled);
  const base = op.replace(/_NOT$/, '');
  const not = op.endsWith('_NOT');
  if (kind === 'text') {
    const like = (pattern: (value: string) => string) => ({ sql: `(lower(${column}) LIKE lower(?) ESCAPE '\\')`, params: [pattern(one().replace(/[\\%_]/g, '\\$&'))] });
    if (base === 'IS') return negate({ sql: `(lower(${column}) = lower(?))`, params: [one()] }, not);
    if (base === 'START_WITH') return negate(like((value) => `${value}%`), not);
    if (base === 'END_WITH') return negate(like((value) => `%${value}`), not);
    if (base === 'CONTAIN') return negate(like((value) => `%${value}%`), not);
  }
  if (kind === 'date') {
    const { stamp, wholeDay } = dateValue(one());
    const end = wholeDay ? nextDay(stamp) : stamp;
    const compare = (sql: string, ...params: string[]) => negate({ sql: `(${sql})`, params }, not);
    if (base === 'ON') return wholeDay ? compare(`${column} >= ? AND ${column} < ?`, stamp, end) : compare(`${column} = ?`, stamp);
    if (base === 'AFTER') return wholeDay ? compare(`${column} >= ?`, end) : compare(`${column} > ?`, stamp);
    if (base === 'ON_OR_AFTER') return compare(`${column} >= ?`, stamp);
    if (base === 'BEFORE') return compare(`${column} < ?`, stamp);
    if (base === 'ON_OR_BEFORE') return wholeDay ? compare(`${column} < ?`, end) : compare(`${column} <= ?`, stamp);
  }
  if (kind === 'boolean' && (op === 'IS' || op === 'IS_NOT')) {
    const value = one().toLowerCase();
    if (value !== 'true' && value !== 'false') refuse(`Expected true or false for ${field}.`);
    return { sql: `(${column} ${op === 'IS' ? '=' : '<>'} ?)`, params: [value === 'true' ? 'T' : 'F'] };
  }
  if (kind === 'number') {
    const numbers = values.map((value) => {
      const number = value.trim() === '' ? NaN : Number(value);
      return Number.isFinite(number) ? number : refuse(`Expected a number for ${field}.`);
    });
    const cell = `CAST(${column} AS REAL)`;
    const sign = ({ EQUAL: '=', GREATER: '>', GREATER_OR_EQUAL: '>=', LESS: '<', LESS_OR_EQUAL: '<=' } as Record<string, string>)[base];
    if (sign !== undefined) return negate({ sql: `(${cell} ${sign} ?)`, params: [Number(one())] }, not); // a number: every value was checked above
    if (base === 'ANY_OF') {
      if (numbers.length === 0) refuse(`Operator ${op} needs a value.`);
      return negate({ sql: `(${cell} IN (${numbers.map(() => '?').join(', ')}))`, params: numbers }, not);
    }
    // WITHIN is listed for numbers with BETWEEN and taken as the same inclusive range (assumed).
    if (base === 'BETWEEN' || base === 'WITHIN') {
      if (numbers.length !== 2) refuse(`Operator ${op} takes two values.`);
      return negate({ sql: `(${cell} BETWEEN ? AND ?)`, params: numbers }, not);
    }
  }
  if (kind === 'id' || kind === 'ref' || kind === 'status') {
    const keys = values.map((value) => {
      if (kind === 'status') {
        const letter = STATUS_LETTERS[value.toLowerCase()] ?? /^(?:Cust\w+:)?([A-Z])$/.exec(value)?.[1];
        return letter ?? refuse(`Unknown status ${JSON.stringify(value)}.`);
      }
      if (!/^\d+$/.test(value)) refuse(`Expected an internal ID for ${field}.`);
      return Number(value);
    });
    if (keys.length === 0) refuse(`Operator ${op} needs a value.`);
    const list = { sql: `(${column} IN (${keys.map(() => '?').join(', ')}))`, params: keys };
    if (op === 'ANY_OF' || op === 'IS' || op === 'EQUAL') return list;
    if (op === 'ANY_OF_NOT' || op === 'IS_NOT' || op === 'EQUAL_NOT') return negate(list, true);
  }
  return refuse(`Operator ${op} is not supported for field ${field}.`);
}

/** A recursive-descent reader of `q`: `or := and (OR and)*`, `and := primary (AND primary)*`, `primary := ( or ) | condition`. */
class FilterParser {
  private position = 0;

  constructor(
    private readonly recordType: NetSuiteRecordType,
    private readonly tokens: readonly string[],
  ) {}

  parse(): CompiledFilter {
    const filter = this.or();
    const rest = this.tokens[this.position];
    if (rest !== undefined) refuse(rest === ')' ? 'Unbalanced parentheses.' : `Expected AND or OR, found ${JSON.stringify(rest)}.`);
    return filter;
  }

  private or(): CompiledFilter {
    const parts = [this.and()];
    while (this.tokens[this.position]?.toUpperCase() === 'OR') {
      this.position += 1;
      parts.push(this.and());
    }
    return join(parts, 'OR');
  }

  private and(): CompiledFilter {
    const parts = [this.primary()];
    while (this.tokens[this.position]?.toUpperCase() === 'AND') {
      this.position += 1;
      parts.push(this.primary());
    }
    return join(parts, 'AND');
  }

  private primary(): CompiledFilter {
    if (this.tokens[this.position] !== '(') return this.condition();
    this.position += 1;
    const inner = this.or();
    if (this.tokens[this.position] !== ')') refuse('Unbalanced parentheses.');
    this.position += 1;
    return inner;
  }

  private condition(): CompiledFilter {
    const field = this.tokens[this.position++];
    const operator = this.tokens[this.position++];
    if (field === undefined || operator === undefined || /^[()]$/.test(field) || /^[()[\],]$/.test(operator)) refuse('Incomplete condition.');
    const values: string[] = [];
    if (this.tokens[this.position] === '[') {
      this.position += 1;
      while (this.tokens[this.position] !== ']') {
        const token = this.tokens[this.position++];
        if (token === undefined) refuse('Unclosed list.');
        if (token !== ',') values.push(unquote(token));
      }
      this.position += 1;
    } else if (!/^EMPTY(_NOT)?$/i.test(operator)) {
      values.push(this.value(`Missing value for ${field}.`));
      while (this.tokens[this.position] === ',') {
        this.position += 1;
        values.push(this.value('Missing value after a comma.'));
      }
    }
    return condition(this.recordType, field, operator, values);
  }

  private value(missing: string): string {
    const token = this.tokens[this.position++];
    if (token === undefined || /^[()[\],]$/.test(token)) refuse(missing);
    return unquote(token);
  }
}

function join(parts: CompiledFilter[], joiner: 'AND' | 'OR'): CompiledFilter {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return { sql: `(${parts.map((part) => part.sql).join(` ${joiner} `)})`, params: parts.flatMap((part) => part.params) };
}

/** Compiles `q`; an empty or absent filter matches everything. */
export function compileFilter(recordType: NetSuiteRecordType, q: string | null): CompiledFilter {
  if (q === null || q.trim() === '') return { sql: '1 = 1', params: [] };
  return new FilterParser(recordType, tokenize(q)).parse();
}
