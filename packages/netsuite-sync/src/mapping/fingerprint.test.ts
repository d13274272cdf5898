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
