import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as dates from './dates';
import type * as DatesModule from './dates';
import { createHarness, smallBooks } from './test-support';

vi.mock('./dates', async (importOriginal) => {
  const actual = await importOriginal<typeof DatesModule>();
  return { ...actual, parseOracleDate: vi.fn(actual.parseOracleDate), formatOracleDate: vi.fn(actual.formatOracleDate) };
});

const parse = vi.mocked(dates.parseOracleDate);
const format = vi.mocked(dates.formatOracleDate);

function loaded() {
  const harness = createHarness();
  harness.service.state.load(smallBooks());
  return harness;
}

describe('SuiteQL date functions over many rows', () => {
  beforeEach(() => {
    parse.mockClear();
    format.mockClear();
  });

  it('parses a literal TO_TIMESTAMP / TO_DATE once, not once per row, with the same answers', () => {
    const { state } = loaded().service;
    const query = "SELECT id FROM transaction WHERE lastmodifieddate > TO_TIMESTAMP('2026-01-11 00:00:00', 'YYYY-MM-DD HH24:MI:SS') AND trandate >= TO_DATE('2026-01-01', 'YYYY-MM-DD') ORDER BY id";
    expect(state.query(query)).toEqual([{ id: '302' }, { id: '303' }, { id: '401' }, { id: '501' }]);
    expect(state.query(query)).toEqual([{ id: '302' }, { id: '303' }, { id: '401' }, { id: '501' }]);
    expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('formats a repeated day once, with the same answers', () => {
    const { state } = loaded().service;
    const query = "SELECT TO_CHAR(trandate, 'YYYY-MM-DD') AS day FROM transaction CROSS JOIN customer ORDER BY day";
    const days = state.query(query).map((row) => row.day);
    expect(days).toEqual(['2026-01-10', '2026-01-10', '2026-01-12', '2026-01-12', '2026-01-15', '2026-01-15', '2026-01-20', '2026-01-20', '2026-01-21', '2026-01-21']);
    expect(format.mock.calls.length).toBe(5);
  });

  it('still refuses a literal that does not parse, every time it is read', () => {
    const { state } = loaded().service;
    const query = "SELECT id FROM transaction WHERE lastmodifieddate > TO_TIMESTAMP('not a date')";
    expect(() => state.query(query)).toThrow(/does not match/);
    expect(() => state.query(query)).toThrow(/does not match/);
  });
});
