/**
 * The `q` parameter of record collections, compiled to SQL over the simulator's tables:
 * `field OPERATOR value` conditions joined with AND (binding tighter) and OR, e.g.
 * `lastModifiedDate ON_OR_AFTER "2026-01-01" AND status ANY_OF ["open", "B"]`.
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
  const pattern = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[|\]|,|[^\s[\],"']+)/y;
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
  const negate = (compiled: CompiledFilter, not: boolean): CompiledFilter => (not ? { sql: `NOT ${compiled.sql}`, params: compiled.params } : compiled);
  if (kind === 'text') {
    const like = (pattern: (value: string) => string) => ({ sql: `(lower(${column}) LIKE lower(?) ESCAPE '\\')`, params: [pattern(one().replace(/[\\%_]/g, '\\$&'))] });
    const base = op.replace(/_NOT$/, '');
    const not = op.endsWith('_NOT');
    if (base === 'IS') return negate({ sql: `(lower(${column}) = lower(?))`, params: [one()] }, not);
    if (base === 'START_WITH') return negate(like((value) => `${value}%`), not);
    if (base === 'END_WITH') return negate(like((value) => `%${value}`), not);
    if (base === 'CONTAIN') return negate(like((value) => `%${value}%`), not);
    if (base === 'ANY_OF') return negate({ sql: `(lower(${column}) IN (${values.map(() => 'lower(?)').join(', ')}))`, params: values }, not);
  }
  if (kind === 'date') {
    const { stamp, wholeDay } = dateValue(one());
    const end = wholeDay ? nextDay(stamp) : stamp;
    const compare = (sql: string, ...params: string[]) => ({ sql: `(${sql})`, params });
    if (op === 'ON') return wholeDay ? compare(`${column} >= ? AND ${column} < ?`, stamp, end) : compare(`${column} = ?`, stamp);
    if (op === 'AFTER') return wholeDay ? compare(`${column} >= ?`, end) : compare(`${column} > ?`, stamp);
    if (op === 'ON_OR_AFTER') return compare(`${column} >= ?`, stamp);
    if (op === 'BEFORE') return compare(`${column} < ?`, stamp);
    if (op === 'ON_OR_BEFORE') return wholeDay ? compare(`${column} < ?`, end) : compare(`${column} <= ?`, stamp);
  }
  if (kind === 'boolean' && (op === 'IS' || op === 'IS_NOT')) {
    const value = one().toLowerCase();
    if (value !== 'true' && value !== 'false') refuse(`Expected true or false for ${field}.`);
    return { sql: `(${column} ${op === 'IS' ? '=' : '<>'} ?)`, params: [value === 'true' ? 'T' : 'F'] };
  }
  if (kind === 'number') {
    const number = Number(one());
    if (!Number.isFinite(number)) refuse(`Expected a number for ${field}.`);
    const sign = { EQUAL: '=', EQUAL_NOT: '<>', GREATER: '>', GREATER_OR_EQUAL: '>=', LESS: '<', LESS_OR_EQUAL: '<=' }[op];
    if (sign !== undefined) return { sql: `(CAST(${column} AS REAL) ${sign} ?)`, params: [number] };
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

/** Compiles `q`; an empty or absent filter matches everything. */
export function compileFilter(recordType: NetSuiteRecordType, q: string | null): CompiledFilter {
  if (q === null || q.trim() === '') return { sql: '1 = 1', params: [] };
  const tokens = tokenize(q);
  let position = 0;
  const groups: CompiledFilter[][] = [[]];
  for (;;) {
    const field = tokens[position++];
    const operator = tokens[position++];
    if (field === undefined || operator === undefined) refuse('Incomplete condition.');
    const values: string[] = [];
    if (tokens[position] === '[') {
      position += 1;
      while (tokens[position] !== ']') {
        const token = tokens[position++];
        if (token === undefined) refuse('Unclosed list.');
        if (token !== ',') values.push(unquote(token));
      }
      position += 1;
    } else if (!/^EMPTY(_NOT)?$/i.test(operator)) {
      const first = tokens[position++];
      if (first === undefined) refuse(`Missing value for ${field}.`);
      values.push(unquote(first));
      while (tokens[position] === ',') {
        values.push(unquote(tokens[position + 1] ?? refuse('Missing value after a comma.')));
        position += 2;
      }
    }
    groups[groups.length - 1]?.push(condition(recordType, field, operator, values));
    const joiner = tokens[position++]?.toUpperCase();
    if (joiner === undefined) break;
    if (joiner === 'OR') groups.push([]);
    else if (joiner !== 'AND') refuse(`Expected AND or OR, found ${JSON.stringify(joiner)}.`);
  }
  return {
    sql: groups.map((group) => `(${group.map((part) => part.sql).join(' AND ')})`).join(' OR '),
    params: groups.flatMap((group) => group.flatMap((part) => part.params)),
  };
}
