import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import type { SuiteQLValue } from './sql';
import { isSuiteQLQuery, sql, suiteqlLiteral } from './sql';

/**
 * Reference reader of one Oracle single-quoted literal: `'` opens, `''` is one quote, a lone `'` closes.
 * Throws unless the whole input is exactly one literal (nothing may follow the closing quote).
 */
function readOracleLiteral(literal: string): string {
  if (!literal.startsWith("'")) throw new Error('literal does not start with a quote');
  let value = '';
  let index = 1;
  for (;;) {
    if (index >= literal.length) throw new Error('unterminated literal');
    const char = literal.charAt(index);
    if (char === "'") {
      if (literal.charAt(index + 1) === "'") {
        value += "'";
        index += 2;
        continue;
      }
      if (index !== literal.length - 1) {
        throw new Error(`text after the closing quote: ${JSON.stringify(literal.slice(index + 1))}`);
      }
      return value;
    }
    value += char;
    index += 1;
  }
}

/** Small deterministic PRNG (mulberry32), so generated cases are the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_PIECES = [
  "'",
  "''",
  '\\',
  "\\'",
  '"',
  '--',
  '/*',
  '*/',
  ';',
  '\n',
  '\r\n',
  '\t',
  ' ',
  ' OR 1=1',
  'DROP TABLE customer',
  'a',
  'é',
  'e\u0301',
  '中文',
  '😀',
  '\u2028',
  '%',
  '$',
  '{',
] as const;

function hostileStrings(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const result: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const length = Math.floor(random() * 16);
    let text = '';
    for (let i = 0; i < length; i += 1) text += HOSTILE_PIECES[Math.floor(random() * HOSTILE_PIECES.length)];
    result.push(text);
  }
  return result;
}

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

const HOSTILE_NAMES = [
  `O'Brien's "Best" \\ Co.`,
  `'; DROP TABLE customer; --`,
  `' OR '1'='1`,
  `''''`,
  `back\\slash\\'`,
  `"quoted" \\"`,
  `/* comment */ --`,
  `line1\nline2\ttab`,
];

describe('readOracleLiteral (the reference reader used below)', () => {
  it('reads doubled quotes as one quote', () => {
    expect(readOracleLiteral("'O''Brien'")).toBe("O'Brien");
  });

  it('rejects a naively quoted value whose quote ends the literal early', () => {
    expect(() => readOracleLiteral(`'O'Brien'`)).toThrow(/after the closing quote/);
  });

  it('rejects an unterminated literal', () => {
    expect(() => readOracleLiteral("'abc''")).toThrow(/unterminated/);
  });
});

describe('suiteqlLiteral', () => {
  describe('strings', () => {
    it('doubles single quotes and keeps backslashes and double quotes verbatim', () => {
      expect(suiteqlLiteral(`O'Brien's "Best" \\ Co.`)).toBe(`'O''Brien''s "Best" \\ Co.'`);
    });

    it('quotes a plain string', () => {
      expect(suiteqlLiteral('Acme')).toBe("'Acme'");
    });

    it('writes the empty string as an empty literal', () => {
      expect(suiteqlLiteral('')).toBe("''");
    });

    it('keeps a statement-terminating injection attempt inside the literal', () => {
      expect(suiteqlLiteral(`'; DROP TABLE customer; --`)).toBe(`'''; DROP TABLE customer; --'`);
    });

    it("keeps the classic ' OR '1'='1 inside the literal", () => {
      expect(suiteqlLiteral(`' OR '1'='1`)).toBe(`''' OR ''1''=''1'`);
    });

    it('doubles every quote of a string made only of quotes', () => {
      expect(suiteqlLiteral(`''''`)).toBe(`''''''''''`);
      expect(readOracleLiteral(suiteqlLiteral(`''''`))).toBe(`''''`);
    });

    it('keeps unicode, emoji and accents exactly, in NFC and NFD form as given', () => {
      const nfc = 'Café Zürich 中文 😀👩‍👩‍👧';
      const nfd = nfc.normalize('NFD');
      expect(nfd).not.toBe(nfc);
      expect(suiteqlLiteral(nfc)).toBe(`'${nfc}'`);
      expect(suiteqlLiteral(nfd)).toBe(`'${nfd}'`);
    });

    it('keeps newlines, carriage returns and tabs', () => {
      expect(suiteqlLiteral('a\nb\r\nc\td')).toBe("'a\nb\r\nc\td'");
    });

    it('refuses a string containing NUL, without echoing the value', () => {
      const error = configurationError(() => suiteqlLiteral('secret\u0000value'));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
      expect(error.message).toMatch(/NUL/);
      expect(error.message).not.toContain('secret');
    });

    it('round-trips a few hundred generated hostile strings through one complete literal', () => {
      const samples = hostileStrings(400, 20260102);
      expect(new Set(samples).size).toBeGreaterThan(300);
      expect(samples.some((s) => s.includes("'"))).toBe(true);
      for (const original of samples) {
        const literal = suiteqlLiteral(original);
        // Reads exactly one literal that consumes the whole output, and recovers the exact input.
        expect(readOracleLiteral(literal), JSON.stringify(original)).toBe(original);
      }
    });

    it('leaves generated hostile strings unable to alter the surrounding query', () => {
      const prefix = 'SELECT id FROM customer WHERE companyname = ';
      const suffix = ' AND isinactive = ';
      for (const original of hostileStrings(300, 7)) {
        const { text } = sql`SELECT id FROM customer WHERE companyname = ${original} AND isinactive = ${false}`;
        expect(text.startsWith(prefix)).toBe(true);
        expect(text.endsWith(`${suffix}'F'`)).toBe(true);
        const literal = text.slice(prefix.length, text.length - suffix.length - "'F'".length);
        expect(readOracleLiteral(literal), JSON.stringify(original)).toBe(original);
      }
    });
  });

  describe('JSON request body', () => {
    it.each([...HOSTILE_NAMES, ...hostileStrings(50, 99)])('survives JSON.stringify and JSON.parse unchanged: %j', (name) => {
      const query = sql`SELECT id FROM customer WHERE companyname = ${name}`;
      const body = JSON.stringify({ q: query.text });
      const parsed = JSON.parse(body) as { q: unknown };
      expect(parsed.q).toBe(query.text);
      expect(Object.keys(parsed)).toEqual(['q']);
    });
  });

  describe('numbers', () => {
    it('writes zero and negative zero as 0', () => {
      expect(suiteqlLiteral(0)).toBe('0');
      expect(suiteqlLiteral(-0)).toBe('0');
    });

    it('wraps negative numbers in parentheses', () => {
      expect(suiteqlLiteral(-5)).toBe('(-5)');
      expect(suiteqlLiteral(-1.5)).toBe('(-1.5)');
    });

    it('cannot turn a subtraction into a comment', () => {
      expect(sql`SELECT x - ${-5} FROM dual`.text).toBe('SELECT x - (-5) FROM dual');
      expect(sql`SELECT x -${-5} FROM dual`.text).not.toContain('--');
    });

    it('writes decimals as given', () => {
      expect(suiteqlLiteral(1.5)).toBe('1.5');
      expect(suiteqlLiteral(0.1)).toBe('0.1');
    });

    it('writes large integers as plain digits, not exponent notation', () => {
      expect(suiteqlLiteral(1e21)).toBe('1000000000000000000000');
      expect(suiteqlLiteral(-1e21)).toBe('(-1000000000000000000000)');
      expect(suiteqlLiteral(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    });

    it('writes tiny numbers in fixed point that round-trips', () => {
      expect(suiteqlLiteral(1e-7)).toBe('0.0000001');
      expect(suiteqlLiteral(1.2345e-7)).toBe('0.00000012345');
      expect(suiteqlLiteral(-2.5e-10)).toBe('(-0.00000000025)');
      for (const n of [1e-7, 1.2345e-7, 5e-324, 1.7976931348623157e-300, 123.456e-9]) {
        const literal = suiteqlLiteral(n);
        expect(literal).not.toMatch(/e/i);
        expect(Number(literal)).toBe(n);
      }
    });

    it.each([NaN, Infinity, -Infinity])('refuses %s', (n) => {
      const error = configurationError(() => suiteqlLiteral(n));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
    });
  });

  describe('bigints', () => {
    it('writes digits, negatives in parentheses', () => {
      expect(suiteqlLiteral(12345678901234567890n)).toBe('12345678901234567890');
      expect(suiteqlLiteral(-42n)).toBe('(-42)');
      expect(suiteqlLiteral(0n)).toBe('0');
    });
  });

  describe('booleans', () => {
    it("writes true as 'T' and false as 'F'", () => {
      expect(suiteqlLiteral(true)).toBe("'T'");
      expect(suiteqlLiteral(false)).toBe("'F'");
    });
  });

  describe('dates', () => {
    it('writes a TO_TIMESTAMP from the UTC fields', () => {
      expect(suiteqlLiteral(new Date('2026-01-02T03:04:05Z'))).toBe(
        "TO_TIMESTAMP('2026-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS')",
      );
    });

    it('uses UTC whatever offset the Date was written with, and drops milliseconds', () => {
      expect(suiteqlLiteral(new Date('2025-12-31T23:30:59.999-05:00'))).toBe(
        "TO_TIMESTAMP('2026-01-01 04:30:59', 'YYYY-MM-DD HH24:MI:SS')",
      );
    });

    it('pads small years to four digits', () => {
      const date = new Date(0);
      date.setUTCFullYear(42, 6, 9);
      expect(suiteqlLiteral(date)).toBe("TO_TIMESTAMP('0042-07-09 00:00:00', 'YYYY-MM-DD HH24:MI:SS')");
    });

    it('refuses an invalid Date', () => {
      const error = configurationError(() => suiteqlLiteral(new Date('not a date')));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
      expect(error.message).toMatch(/invalid Date/);
    });

    it('refuses a Date outside years 1-9999', () => {
      const date = new Date(0);
      date.setUTCFullYear(10000);
      expect(configurationError(() => suiteqlLiteral(date)).code).toBe('INVALID_SUITEQL_VALUE');
    });
  });

  describe('null and undefined', () => {
    it('writes null as NULL', () => {
      expect(suiteqlLiteral(null)).toBe('NULL');
    });

    it('refuses undefined', () => {
      const error = configurationError(() => suiteqlLiteral(undefined as unknown as SuiteQLValue));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
      expect(error.message).toMatch(/undefined/);
    });
  });

  describe('arrays', () => {
    it('writes a parenthesised list with each element escaped', () => {
      expect(suiteqlLiteral([1, "O'Brien", -2, true, null, 3n])).toBe("(1, 'O''Brien', (-2), 'T', NULL, 3)");
    });

    it('writes an empty array as (NULL), so IN matches nothing', () => {
      expect(suiteqlLiteral([])).toBe('(NULL)');
      expect(sql`SELECT id FROM customer WHERE id IN ${[]}`.text).toBe('SELECT id FROM customer WHERE id IN (NULL)');
    });

    it('writes dates inside a list', () => {
      expect(suiteqlLiteral([new Date('2026-01-02T03:04:05Z')])).toBe(
        "(TO_TIMESTAMP('2026-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS'))",
      );
    });

    it('refuses nested arrays', () => {
      const error = configurationError(() => suiteqlLiteral([1, [2, 3]] as unknown as SuiteQLValue));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
      expect(error.message).toMatch(/element #2/);
      expect(error.issues[0]?.path).toBe('1');
    });

    it('refuses a query fragment inside a list', () => {
      expect(configurationError(() => suiteqlLiteral([sql.raw('1')] as unknown as SuiteQLValue)).code).toBe(
        'INVALID_SUITEQL_VALUE',
      );
    });

    it('refuses undefined elements and holes of sparse arrays', () => {
      // eslint-disable-next-line no-sparse-arrays
      const sparse = [1, , 3] as unknown as SuiteQLValue;
      expect(configurationError(() => suiteqlLiteral(sparse)).message).toMatch(/element #2.*undefined/);
      expect(configurationError(() => suiteqlLiteral([1, undefined] as unknown as SuiteQLValue)).code).toBe(
        'INVALID_SUITEQL_VALUE',
      );
    });
  });

  describe('other values', () => {
    it.each([
      ['a plain object', { a: 1 }],
      ['an object that only looks like a query', { text: '1 OR 1=1' }],
      ['a function', () => 'x'],
      ['a symbol', Symbol('x')],
      ['a Map', new Map()],
      ['a boxed string', Object('x') as unknown],
    ])('refuses %s', (_, value) => {
      const error = configurationError(() => suiteqlLiteral(value as SuiteQLValue));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
    });

    it('returns the text of a query fragment as-is', () => {
      expect(suiteqlLiteral(sql`a = ${1}`)).toBe('a = 1');
    });
  });
});

describe('sql', () => {
  it('escapes every interpolated value', () => {
    const query = sql`SELECT id FROM customer WHERE companyname = ${"O'Brien"} AND id > ${-1} AND isinactive = ${false}`;
    expect(query.text).toBe("SELECT id FROM customer WHERE companyname = 'O''Brien' AND id > (-1) AND isinactive = 'F'");
  });

  it('keeps static text verbatim', () => {
    expect(sql`SELECT "x" FROM dual -- note`.text).toBe('SELECT "x" FROM dual -- note');
  });

  it('builds a branded query recognised by isSuiteQLQuery', () => {
    const query = sql`SELECT 1 FROM dual`;
    expect(isSuiteQLQuery(query)).toBe(true);
    expect(Object.isFrozen(query)).toBe(true);
  });

  it('does not recognise look-alike objects or strings as queries', () => {
    expect(isSuiteQLQuery({ text: 'SELECT 1 FROM dual' })).toBe(false);
    expect(isSuiteQLQuery('SELECT 1 FROM dual')).toBe(false);
    expect(isSuiteQLQuery(null)).toBe(false);
  });

  it('inserts nested fragments as-is, so queries compose', () => {
    const condition = sql`companyname = ${"O'Brien"}`;
    const query = sql`SELECT id FROM customer WHERE ${condition} AND id IN ${[1, 2]}`;
    expect(query.text).toBe("SELECT id FROM customer WHERE companyname = 'O''Brien' AND id IN (1, 2)");
  });

  it('escapes a look-alike object instead of trusting it', () => {
    const fake = { text: '1=1 OR 1=1' } as unknown as SuiteQLValue;
    expect(configurationError(() => sql`SELECT id FROM customer WHERE ${fake}`).code).toBe('INVALID_SUITEQL_VALUE');
  });

  it('refuses undefined, naming its position in the template', () => {
    const missing = undefined as unknown as SuiteQLValue;
    const error = configurationError(() => sql`SELECT id FROM customer WHERE id = ${1} AND entity = ${missing}`);
    expect(error.code).toBe('INVALID_SUITEQL_VALUE');
    expect(error.message).toMatch(/value #2\b/);
    expect(error.issues).toEqual([{ path: 'values.1', message: error.message }]);
    expect(error.resolution).toMatch(/null/);
  });

  it('names the position of a bad array element in the template', () => {
    const error = configurationError(() => sql`WHERE id IN ${[1, NaN]}`);
    expect(error.message).toMatch(/value #1, element #2/);
    expect(error.issues[0]?.path).toBe('values.0.1');
  });

  it('refuses a NUL character with the position of the value', () => {
    const error = configurationError(() => sql`WHERE a = ${'ok'} AND b = ${'x\u0000'}`);
    expect(error.code).toBe('INVALID_SUITEQL_VALUE');
    expect(error.message).toMatch(/value #2/);
  });

  it.each([
    ['quoted string', (v: string) => sql`SELECT id FROM customer WHERE companyname = '${v}'`],
    ['LIKE pattern in quotes', (v: string) => sql`SELECT id FROM customer WHERE companyname LIKE '%${v}%'`],
    ['quoted identifier', (v: string) => sql`SELECT "${v}" FROM customer`],
    ['line comment', (v: string) => sql`SELECT id FROM customer -- ${v}\nWHERE 1 = 1`],
    ['block comment', (v: string) => sql`SELECT id /* ${v} */ FROM customer`],
  ])('refuses a value placed inside a %s of the template', (_, build) => {
    const error = configurationError(() => build('\n OR 1=1 --'));
    expect(error.code).toBe('INVALID_SUITEQL_TEMPLATE');
    expect(error.message).toMatch(/value #1/);
  });

  it('accepts values after quotes, comments and quoted identifiers that are closed', () => {
    const query = sql`SELECT "id" /* c */ FROM customer -- note
      WHERE status = 'A' AND companyname = ${'x'} AND note = 'it''s' AND id = ${1}`;
    expect(query.text).toContain("companyname = 'x'");
    expect(query.text).toContain('id = 1');
  });

  it('refuses to be called as a plain function', () => {
    const call = sql as unknown as (text: string) => unknown;
    expect(configurationError(() => call('SELECT 1 FROM dual')).code).toBe('INVALID_SUITEQL_TEMPLATE');
    const fakeTemplate = Object.assign(['SELECT ', ''], { raw: ['SELECT ', ''] }) as unknown as TemplateStringsArray;
    expect(configurationError(() => sql(fakeTemplate)).code).toBe('INVALID_SUITEQL_TEMPLATE');
  });

  describe('sql.raw', () => {
    it('inserts trusted text verbatim', () => {
      const order = sql.raw('DESC');
      expect(isSuiteQLQuery(order)).toBe(true);
      expect(sql`SELECT id FROM customer ORDER BY id ${order}`.text).toBe('SELECT id FROM customer ORDER BY id DESC');
    });

    it('refuses a non-string', () => {
      expect(configurationError(() => sql.raw(1 as unknown as string)).code).toBe('INVALID_SUITEQL_TEMPLATE');
    });
  });

  describe('sql.identifier', () => {
    it.each(['customer', 'transaction.trandate', '_x', 'custentity_score_2', 'a.b.c', 'ID'])('accepts %s', (name) => {
      const fragment = sql.identifier(name);
      expect(isSuiteQLQuery(fragment)).toBe(true);
      expect(fragment.text).toBe(name);
    });

    it.each([
      '',
      '1abc',
      'a b',
      'a.',
      '.a',
      'a..b',
      'a-b',
      'name;DROP',
      "x'",
      '"quoted"',
      'a.1b',
      'é',
      'id\n',
      'id--',
      'a/*',
    ])('refuses %j', (name) => {
      const error = configurationError(() => sql.identifier(name));
      expect(error.code).toBe('INVALID_SUITEQL_IDENTIFIER');
    });

    it('refuses a non-string', () => {
      expect(configurationError(() => sql.identifier(null as unknown as string)).code).toBe(
        'INVALID_SUITEQL_IDENTIFIER',
      );
    });

    it('composes into a query', () => {
      const column = sql.identifier('customer.lastmodifieddate');
      const since = new Date('2026-01-02T03:04:05Z');
      expect(sql`SELECT id FROM customer WHERE ${column} >= ${since}`.text).toBe(
        "SELECT id FROM customer WHERE customer.lastmodifieddate >= TO_TIMESTAMP('2026-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS')",
      );
    });
  });

  describe('sql.join', () => {
    it('joins escaped values with a comma by default', () => {
      expect(sql.join([1, "O'Brien", null]).text).toBe("1, 'O''Brien', NULL");
    });

    it('keeps fragments as they are and uses the given separator', () => {
      const conditions = [sql`isinactive = ${false}`, sql`companyname = ${"O'Brien"}`];
      const query = sql`SELECT id FROM customer WHERE ${sql.join(conditions, ' AND ')}`;
      expect(query.text).toBe("SELECT id FROM customer WHERE isinactive = 'F' AND companyname = 'O''Brien'");
    });

    it('joins identifiers into a column list', () => {
      const columns = sql.join(['id', 'companyname'].map((name) => sql.identifier(name)));
      expect(sql`SELECT ${columns} FROM customer`.text).toBe('SELECT id, companyname FROM customer');
    });

    it('accepts a fragment as separator', () => {
      expect(sql.join([1, 2], sql.raw(' + ')).text).toBe('1 + 2');
    });

    it('gives empty text for an empty list', () => {
      expect(sql.join([]).text).toBe('');
    });

    it('refuses bad parts, naming their position', () => {
      const error = configurationError(() => sql.join([1, undefined as unknown as SuiteQLValue]));
      expect(error.code).toBe('INVALID_SUITEQL_VALUE');
      expect(error.message).toMatch(/part #2/);
    });

    it('refuses a look-alike object part', () => {
      expect(configurationError(() => sql.join([{ text: 'x' } as unknown as SuiteQLValue])).code).toBe(
        'INVALID_SUITEQL_VALUE',
      );
    });
  });
});
