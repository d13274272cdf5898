/**
 * A small translation from NetSuite's Oracle-flavoured SuiteQL to SQLite, token by token:
 *
 * - `BUILTIN.CF(x.status)` → `(x.type || ':' || x.status)` (`'CustInvc:A'`); `BUILTIN.DF(x.col)` → the
 *   display value of the referenced record (currency name, customer title, item name, account name,
 *   class, department, location or employee name, a custom select's entry, status text, document
 *   number), or the raw value for other columns; `BUILTIN.CONSOLIDATE(x, ...)` → `x`.
 * - `SYSDATE`, `CURRENT_DATE`, `CURRENT_TIMESTAMP` → the simulator's clock.
 * - `FETCH FIRST n ROWS ONLY`, `OFFSET n ROWS` → `LIMIT` / `OFFSET`; `ROWNUM <= n` (or `< n`, `= 1`) in a
 *   WHERE clause → `LIMIT n` at the end of that SELECT (best effort: Oracle numbers rows before ORDER BY).
 * - The table `transaction` (a reserved word in SQLite) is quoted.
 * - `TO_DATE`, `TO_TIMESTAMP`, `TO_CHAR`, `NVL`, `NVL2`, `DECODE`, `TRUNC`, `TO_NUMBER` are SQL functions
 *   registered on the database (see `suiteql-functions.ts`), so they need no rewriting, except that a
 *   datetime given to `TO_CHAR` or `TRUNC` (a datetime column, `SYSDATE`) is first turned into the
 *   account's wall clock (`ns_wall(...)`): NetSuite shows datetimes in the user's time zone.
 * - With `shuffleTies`, the outermost query's order ends with a seeded random tie-breaker
 *   (`ORDER BY ..., ns_shuffle()`, or `ORDER BY ns_shuffle()` without an order): NetSuite promises no
 *   order for rows an `ORDER BY` leaves tied, or for a query without one, so pages of such a query can
 *   repeat or skip rows, and the simulator makes sure they do.
 *
 * Only `SELECT` and `WITH` queries pass: any statement that could write, a second statement, or a
 * reference to the simulator's own `ns_*` tables is refused as an invalid search query.
 */
import { badRequest, type NetSuiteSimulatorError } from './errors';
import { TRANSACTION_TYPE_NAMES } from './statuses';

type TokenKind = 'string' | 'quoted' | 'number' | 'word' | 'symbol';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** 400 `INVALID_PARAMETER` as NetSuite words a query it cannot run. */
export function invalidQuery(detail: string): NetSuiteSimulatorError {
  return badRequest('INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${detail}`, { queryParam: 'q' });
}

const TOKEN = /(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_$#]*)|(\|\||<=|>=|<>|!=|[-+*/%(),.=<>;])/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) throw invalidQuery(`unexpected character ${JSON.stringify(text[at])} at position ${at}`);
    if (match[1] !== undefined) continue;
    const kinds: TokenKind[] = ['string', 'quoted', 'number', 'word', 'symbol'];
    const index = [2, 3, 4, 5, 6].findIndex((group) => match[group] !== undefined);
    tokens.push({ kind: kinds[index] ?? 'symbol', text: match[0] });
  }
  return tokens;
}

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'DROP', 'CREATE', 'ALTER', 'ATTACH', 'DETACH', 'PRAGMA', 'VACUUM', 'REINDEX', 'ANALYZE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'REPLACE', 'UPSERT', 'MERGE', 'TRUNCATE', 'GRANT']);

const TYPE_NAMES = `CASE %s ${Object.entries(TRANSACTION_TYPE_NAMES).map(([type, name]) => `WHEN '${type}' THEN '${name}'`).join(' ')} ELSE %s END`;
const DOCUMENT = `(SELECT ${TYPE_NAMES.replaceAll('%s', 'd.type')} || ' #' || COALESCE(d.tranid, d.id) FROM ns_transaction d WHERE d.id = %s)`;
const DISPLAY: Readonly<Record<string, string>> = {
  currency: '(SELECT name FROM currency WHERE id = %s)',
  entity: '(SELECT entitytitle FROM customer WHERE id = %s)',
  customer: '(SELECT entitytitle FROM customer WHERE id = %s)',
  subsidiary: '(SELECT name FROM subsidiary WHERE id = %s)',
  item: '(SELECT itemid FROM item WHERE id = %s)',
  account: '(SELECT fullname FROM account WHERE id = %s)',
  class: '(SELECT name FROM classification WHERE id = %s)',
  department: '(SELECT name FROM department WHERE id = %s)',
  location: '(SELECT name FROM location WHERE id = %s)',
  salesrep: '(SELECT entityid FROM employee WHERE id = %s)',
  employee: '(SELECT entityid FROM employee WHERE id = %s)',
  type: `(${TYPE_NAMES})`,
  previousdoc: DOCUMENT,
  nextdoc: DOCUMENT,
  transaction: DOCUMENT,
  doc: DOCUMENT,
};

/**
 * `BUILTIN.DF` of a custom field column (`custbody_`, `custcol_`, `custentity_`): a select's entry name
 * (`ns_customselect` names the list each select field draws from), any other field's value.
 */
function customDisplay(name: string): string | undefined {
  if (!/^cust(body|col|entity)_[a-z0-9_]+$/.test(name)) return undefined;
  return `COALESCE((SELECT v.name FROM ns_listvalue v JOIN ns_customselect c ON c.list = v.list WHERE c.scriptid = '${name}' AND v.id = %s), %s)`;
}

/** Datetime columns (instants, shown in the account's time zone); every other date column is a calendar day. */
export const DATETIME_COLUMNS: ReadonlySet<string> = new Set(['lastmodifieddate', 'createddate', 'datecreated', 'deleteddate']);
const NOW_WORDS = new Set(['SYSDATE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP']);
const COMPOUND = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);

const upper = (token: Token | undefined) => (token?.kind === 'word' ? token.text.toUpperCase() : token?.text);

class Translator {
  private readonly out: string[] = [];
  /** A `LIMIT` owed to each open parenthesis depth by a `ROWNUM` condition. */
  private readonly pendingLimits = new Map<number, number>();
  private depth = 0;
  /** Where the outermost query's `LIMIT` starts in `out`, and whether it is compound. */
  private topLimitAt: number | undefined;
  private topCompound = false;
  /** Where the outermost query's `ORDER BY` starts in `out`. */
  private topOrderAt: number | undefined;
  /** The query without its outermost `ORDER BY` (after `run`): as many rows, in no order. */
  unordered = '';

  constructor(private readonly tokens: readonly Token[]) {}

  /** Whether the outermost query has a `LIMIT` of its own (after `run`). */
  get limited(): boolean {
    return this.topLimitAt !== undefined;
  }

  run(start: number, end: number, shuffleTies = false): string {
    for (let index = start; index < end; index += 1) index = this.step(index, end);
    const limit = this.pendingLimits.get(this.depth);
    if (limit !== undefined) this.pushLimit(`LIMIT ${limit}`);
    this.unordered = (this.topOrderAt === undefined || this.limited ? this.out : this.out.slice(0, this.topOrderAt)).join(' ');
    if (shuffleTies && !this.topCompound) {
      const at = this.topLimitAt ?? this.out.length;
      this.out.splice(at, 0, this.topOrderAt === undefined ? 'ORDER BY ns_shuffle()' : ', ns_shuffle()');
    }
    return this.out.join(' ');
  }

  private pushLimit(text: string): void {
    if (this.depth === 0) this.topLimitAt ??= this.out.length;
    this.out.push(text);
  }

  /** Emits the token at `index` (or a construct starting there); returns the last index consumed. */
  private step(index: number, end: number): number {
    const token = this.tokens[index] as Token;
    const next = (offset: number) => upper(this.tokens[index + offset]);
    const word = upper(token);
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower.startsWith('ns_') || lower.startsWith('sqlite_')) throw invalidQuery(`unknown identifier ${token.text}`);
      if (WRITES.has(word ?? '') && !(word === 'REPLACE' && next(1) === '(')) throw invalidQuery(`only SELECT queries are allowed (found ${token.text})`);
      if (word === 'BUILTIN' && next(1) === '.' && next(3) === '(') return this.builtin(index, end);
      if (word === 'TRANSACTION') return this.emit('"transaction"', index);
      if (NOW_WORDS.has(word ?? '') && next(1) !== '(') return this.emit('ns_sysdate()', index);
      if ((word === 'TO_CHAR' || word === 'TRUNC') && next(1) === '(') {
        const wrapped = this.wallClockArgument(index, end);
        if (wrapped !== undefined) return wrapped;
      }
      if (this.depth === 0 && word === 'ORDER' && next(1) === 'BY') this.topOrderAt = this.out.length;
      if (this.depth === 0 && COMPOUND.has(word ?? '')) this.topCompound = true;
      if (word === 'ROWNUM' && ['<=', '<', '='].includes(next(1) ?? '') && this.tokens[index + 2]?.kind === 'number') {
        const bound = Number(this.tokens[index + 2]?.text);
        const limit = next(1) === '<' ? bound - 1 : next(1) === '=' ? Math.min(bound, 1) : bound;
        this.pendingLimits.set(this.depth, Math.max(0, Math.floor(limit)));
        this.out.push('1 = 1');
        return index + 2;
      }
      if (word === 'OFFSET' && this.tokens[index + 1]?.kind === 'number' && /^ROWS?$/.test(next(2) ?? '')) {
        const offset = this.tokens[index + 1]?.text ?? '0';
        if (next(3) === 'FETCH') {
          const { limit, last } = this.fetch(index + 3);
          this.pushLimit(`LIMIT ${limit} OFFSET ${offset}`);
          return last;
        }
        this.pushLimit(`LIMIT -1 OFFSET ${offset}`);
        return index + 2;
      }
      if (word === 'FETCH' && (next(1) === 'FIRST' || next(1) === 'NEXT')) {
        const { limit, last } = this.fetch(index);
        this.pushLimit(`LIMIT ${limit}`);
        return last;
      }
    }
    if (token.text === '(') this.depth += 1;
    if (token.text === ')') {
      const limit = this.pendingLimits.get(this.depth);
      if (limit !== undefined) this.out.push(`LIMIT ${limit}`);
      this.pendingLimits.delete(this.depth);
      this.depth -= 1;
    }
    this.out.push(token.text);
    return index;
  }

  /**
   * `TO_CHAR(` or `TRUNC(` at `index` whose first argument is a datetime (a datetime column or the clock):
   * emits the call with that argument as the account's wall clock and returns the index before the
   * argument's end, so the rest of the call is translated as usual; `undefined` for other arguments.
   */
  private wallClockArgument(index: number, end: number): number | undefined {
    let depth = 0;
    let argEnd = -1;
    for (let at = index + 2; at < end; at += 1) {
      const text = this.tokens[at]?.text;
      if (text === '(') depth += 1;
      else if (text === ')' && depth > 0) depth -= 1;
      else if (depth === 0 && (text === ')' || text === ',')) {
        argEnd = at;
        break;
      }
    }
    if (argEnd < 0) return undefined;
    const column = this.columnOf(index + 2, argEnd);
    const clock = argEnd === index + 3 && NOW_WORDS.has(upper(this.tokens[index + 2]) ?? '');
    if (!clock && (column === undefined || !DATETIME_COLUMNS.has(column.name))) return undefined;
    const argument = new Translator(this.tokens).run(index + 2, argEnd);
    this.out.push(this.tokens[index]?.text ?? 'TO_CHAR', '(', `ns_wall(${argument})`);
    this.depth += 1;
    return argEnd - 1;
  }

  private emit(text: string, index: number): number {
    this.out.push(text);
    return index;
  }

  /** `FETCH FIRST|NEXT [n] ROW|ROWS ONLY` starting at `index`. */
  private fetch(index: number): { limit: string; last: number } {
    const count = this.tokens[index + 2];
    const hasCount = count?.kind === 'number';
    const rows = upper(this.tokens[index + (hasCount ? 3 : 2)]);
    const only = upper(this.tokens[index + (hasCount ? 4 : 3)]);
    if (!/^ROWS?$/.test(rows ?? '') || only !== 'ONLY') throw invalidQuery('expected FETCH FIRST n ROWS ONLY');
    return { limit: hasCount ? count.text : '1', last: index + (hasCount ? 4 : 3) };
  }

  /** `BUILTIN.NAME(args)`. */
  private builtin(index: number, end: number): number {
    const name = upper(this.tokens[index + 2]) ?? '';
    const args: [number, number][] = [];
    let depth = 0;
    let argStart = index + 4;
    let close = -1;
    for (let at = index + 4; at < end; at += 1) {
      const text = this.tokens[at]?.text;
      if (text === '(') depth += 1;
      else if (text === ')' && depth > 0) depth -= 1;
      else if (text === ')' || (text === ',' && depth === 0)) {
        args.push([argStart, at]);
        argStart = at + 1;
        if (text === ')') {
          close = at;
          break;
        }
      }
    }
    const first = args[0];
    if (close < 0 || first === undefined) throw invalidQuery(`unclosed BUILTIN.${name}(`);
    const argument = new Translator(this.tokens).run(first[0], first[1]);
    const column = this.columnOf(first[0], first[1]);
    if (name === 'CF') {
      this.out.push(column?.name === 'status' ? `(${column.prefix}type || ':' || ${column.prefix}status)` : argument);
    } else if (name === 'DF') {
      const display = column === undefined ? undefined : column.name === 'status' ? `(SELECT display FROM ns_status WHERE code = (${column.prefix}type || ':' || ${column.prefix}status))` : (DISPLAY[column.name] ?? customDisplay(column.name));
      this.out.push(display === undefined ? argument : display.replaceAll('%s', argument));
    } else if (name === 'CONSOLIDATE' || name === 'CURRENCY_CONVERT') {
      this.out.push(argument);
    } else {
      throw invalidQuery(`BUILTIN.${name} is not supported by the simulator`);
    }
    return close;
  }

  /** `alias.column` or `column` between `start` and `end`. */
  private columnOf(start: number, end: number): { prefix: string; name: string } | undefined {
    const parts = this.tokens.slice(start, end);
    const name = parts.at(-1);
    if (name?.kind !== 'word') return undefined;
    if (parts.length === 1) return { prefix: '', name: name.text.toLowerCase() };
    if (parts.length === 3 && parts[1]?.text === '.' && parts[0]?.kind === 'word') {
      const alias = parts[0].text.toLowerCase() === 'transaction' ? '"transaction"' : parts[0].text;
      return { prefix: `${alias}.`, name: name.text.toLowerCase() };
    }
    return undefined;
  }
}

/** A SuiteQL query in SQLite. */
export interface SuiteQLTranslation {
  readonly sql: string;
  /** Whether its outermost query has a `LIMIT` of its own (`FETCH FIRST`, `ROWNUM`, `OFFSET n ROWS`). */
  readonly limited: boolean;
  /** The SQL without the outermost `ORDER BY` (nor the tie-breaker), to count its rows; the SQL itself when `limited`. */
  readonly unordered: string;
}

/**
 * Translates one SuiteQL query to SQLite, or throws `INVALID_PARAMETER` (`o:errorQueryParam` = `q`).
 * `shuffleTies`: end the outermost order with the seeded tie-breaker (requests over HTTP do).
 */
export function translateSuiteQL(text: string, options: { shuffleTies?: boolean } = {}): SuiteQLTranslation {
  const tokens = tokenize(text);
  while (tokens.at(-1)?.text === ';') tokens.pop();
  const first = upper(tokens[0]);
  if (first !== 'SELECT' && first !== 'WITH') throw invalidQuery('only SELECT queries are allowed');
  if (tokens.some((token) => token.text === ';')) throw invalidQuery('only one statement is allowed');
  const translator = new Translator(tokens);
  const sql = translator.run(0, tokens.length, options.shuffleTies === true);
  return { sql, limited: translator.limited, unordered: translator.unordered };
}
