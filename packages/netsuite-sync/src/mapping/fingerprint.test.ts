import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './fingerprint';

const invoice = { number: 'INV-1', total: 55, items: [{ name: 'Paper', amount: 45 }, { name: 'Delivery', amount: 10 }], updated_at: 1, links: [{ rel: 'self' }] };

describe('fingerprint', () => {
  it('is a SHA-256 in hex', () => {
    expect(fingerprint(invoice)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not change with key order, at any depth', () => {
    const reordered = { links: [{ rel: 'self' }], updated_at: 1, items: [{ amount: 45, name: 'Paper' }, { amount: 10, name: 'Delivery' }], total: 55, number: 'INV-1' };
    expect(fingerprint(reordered)).toBe(fingerprint(invoice));
  });

  it('ignores the volatile fields the caller names, wherever they are', () => {
    const ignore = ['updated_at', 'links'];
    const touched = { ...invoice, updated_at: 999, links: [], items: invoice.items.map((item) => ({ ...item, links: [{ rel: 'x' }] })) };
    expect(fingerprint(touched, { ignore })).toBe(fingerprint(invoice, { ignore }));
    expect(fingerprint(touched)).not.toBe(fingerprint(invoice));
  });

  it('changes when anything else changes', () => {
    const base = fingerprint(invoice);
    expect(fingerprint({ ...invoice, total: 55.01 })).not.toBe(base);
    expect(fingerprint({ ...invoice, items: [...invoice.items].reverse() })).not.toBe(base);
    expect(fingerprint({ ...invoice, number: 'INV-2' })).not.toBe(base);
    expect(fingerprint({ ...invoice, extra: null })).not.toBe(base);
    expect(fingerprint({ ...invoice, total: '55' })).not.toBe(base);
  });

  it('treats an undefined field as absent, as JSON does', () => {
    expect(fingerprint({ ...invoice, notes: undefined })).toBe(fingerprint(invoice));
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => fingerprint({ total: NaN })).toThrow(expect.objectContaining({ code: 'FINGERPRINT_UNSUPPORTED' }) as Error);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => fingerprint(cycle)).toThrow(expect.objectContaining({ code: 'FINGERPRINT_UNSUPPORTED' }) as Error);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, keeps array order, writes -0 as 0 and bigints distinctly', () => {
    expect(canonicalJson({ b: 1, a: [true, null, -0] })).toBe('{"a":[true,null,0],"b":1}');
    expect(canonicalJson({ n: 5n })).toBe('{"n":5n}');
    expect(canonicalJson({ n: 5n })).not.toBe(canonicalJson({ n: '5n' }));
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { id: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"id":1},{"id":1}]');
  });
});

/** canonicalJson as first written (arrays mapped and joined, keys filtered, sorted and joined): the form stored fingerprints were made with. */
function reference(value: unknown, ignore: ReadonlySet<string>): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return JSON.stringify(value === 0 ? 0 : value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item: unknown) => reference(item, ignore) ?? 'null').join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => !ignore.has(key))
    .sort()
    .flatMap((key) => {
      const written = reference((value as Record<string, unknown>)[key], ignore);
      return written === undefined ? [] : [`${JSON.stringify(key)}:${written}`];
    });
  return `{${entries.join(',')}}`;
}

/** A seeded generator of JSON-like values: nested objects and arrays, odd keys, every scalar kind the writer takes. */
function generated(seed: number): unknown[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const keys = ['id', 'name', 'a b', 'Å', 'é"q', '', 'items', 'metadata', 'updated_at', '10', '2', 'links', '\u{1F642}', 'B', 'b'];
  const scalar = (): unknown => {
    const pick = Math.floor(next() * 11);
    if (pick === 0) return null;
    if (pick === 1) return undefined;
    if (pick === 2) return next() < 0.5;
    if (pick === 3) return -0;
    if (pick === 4) return Math.round(next() * 1e6) / 100;
    if (pick === 5) return BigInt(Math.floor(next() * 1e9));
    if (pick === 6) return new Date(Math.floor(next() * 2e12));
    if (pick === 7) return () => 1;
    if (pick === 8) return `line\n"${Math.floor(next() * 100)}"\\ü`;
    return String(Math.floor(next() * 1e5));
  };
  const value = (depth: number): unknown => {
    const pick = next();
    if (depth > 3 || pick < 0.4) return scalar();
    if (pick < 0.65) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 7); i > 0; i -= 1) object[keys[Math.floor(next() * keys.length)] ?? 'id'] = value(depth + 1);
    return object;
  };
  return Array.from({ length: 500 }, () => value(0));
}

describe('canonicalJson keeps the form stored fingerprints were made with', () => {
  const body = {
    customer: 42,
    number: 'INV-é"1',
    draft: false,
    items: [
      { name: 'Paper', quantity: 3, unit_cost: 15, metadata: { netsuite_line: '1' } },
      { name: 'Delivery', quantity: 1, unit_cost: 10.5, discountable: true },
    ],
    metadata: { netsuite_id: '1001' },
    due_date: 1767225600,
    notes: undefined,
    taxes: [],
    z: null,
    Å: -0,
    'a b': [[1, [2]], {}],
    when: new Date(0),
    big: 12n,
  };

  it('gives an invoice body the same fingerprint as before', () => {
    expect(fingerprint(body)).toBe('a7b718575b45a9b8b2602e5e6bc562780941750f46e04623cfb52ee20e8bc655');
    expect(fingerprint(body, { ignore: ['metadata'] })).toBe('0e93d2c3975e0d4c2d3947004c915e90b5f701c62d3ce131daf32a718d40210c');
  });

  it('writes a hole of an array as the first writer did (nothing between the commas)', () => {
    const sparse: number[] = [];
    sparse[0] = 1;
    sparse[2] = 3;
    expect(canonicalJson({ sparse })).toBe(reference({ sparse }, new Set()));
  });

  it.each([31, 32, 33, 200])('sorts the keys of an object of %i keys as the first writer did', (count) => {
    const object: Record<string, number> = {};
    for (let index = 0; index < count; index += 1) object[`k${(index * 7919) % 1000}é${index % 3 === 0 ? 'B' : 'a'}`] = index;
    expect(canonicalJson(object)).toBe(reference(object, new Set()));
  });

  it.each([1, 2, 3, 4])('writes 500 generated values (seed %i) as the first writer did', (seed) => {
    for (const value of generated(seed)) {
      for (const ignore of [new Set<string>(), new Set(['metadata', 'links', 'b'])]) {
        expect(canonicalJson(value, { ignore: [...ignore] })).toBe(reference(value, ignore) ?? 'null');
      }
    }
  });
});
