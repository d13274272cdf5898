/**
 * The contract's rules as functions: orders, defaults, the link conflict rule, the run life cycle, and
 * copies that share nothing with what they copied.
 */
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  compareLinkIds,
  compareRunsNewestFirst,
  copyCheckpoint,
  copyLink,
  copyRecordError,
  copyRetryItem,
  copyRun,
  copyRunError,
  countRecordErrorCodes,
  finishStoredRun,
  linkToSave,
  resolveListRunsOptions,
  settleNow,
  startedRun,
  toStoredRun,
} from './helpers';
import { DEFAULT_ERRORS_PER_RUN, DEFAULT_RUN_LIMIT, LinkConflictError, RunStateError } from './sync-store';
import type { ImportCheckpoint, RecordError, RetryItem, SyncLink, SyncRun } from './sync-store';

const at = (second: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, second)).toISOString();
const recordError = (sourceId: string): RecordError => ({
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId,
  number: `INV-${sourceId}`,
  code: 'TOTAL_MISMATCH',
  message: 'Lines do not add up.',
  resolution: 'Fix the invoice.',
  occurredAt: at(1),
});
const link: SyncLink = { kind: 'invoice', invoicedId: '10', netsuiteId: '100010', origin: 'netsuite', fingerprint: 'a', updatedAt: at(0) };

describe('compareCodePoints', () => {
  it('orders by code point, above U+FFFF too, where < on UTF-16 units does not', () => {
    expect(['b', 'a', 'B', 'ab', ''].sort(compareCodePoints)).toEqual(['', 'B', 'a', 'ab', 'b']);
    expect(['\u{1F600}', '\uFFFD', '\uE000'].sort(compareCodePoints)).toEqual(['\uE000', '\uFFFD', '\u{1F600}']);
    expect('\u{1F600}' < '\uFFFD').toBe(true);
    expect(compareCodePoints('\u{1F600}x', '\u{1F600}y')).toBeLessThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});

describe('compareLinkIds', () => {
  it('puts digit-only IDs first, by value at any length, then the others in code point order', () => {
    const ids = ['abc', '10', '9', '007', '7', '90000000000000000000001', '9000000000000000000000', 'Z', '1a', ''];
    expect(ids.sort(compareLinkIds)).toEqual(['007', '7', '9', '10', '9000000000000000000000', '90000000000000000000001', '', '1a', 'Z', 'abc']);
  });

  it('orders IDs equal in value (7, 07, 007) by code point, and 0 with 000', () => {
    expect(['7', '0', '007', '000', '07'].sort(compareLinkIds)).toEqual(['0', '000', '007', '07', '7']);
  });
});

describe('compareRunsNewestFirst', () => {
  it('puts the later start first, then the later startRun call', () => {
    const runs = [
      { run: { startedAt: at(1) }, sequence: 1 },
      { run: { startedAt: at(2) }, sequence: 2 },
      { run: { startedAt: at(1) }, sequence: 3 },
    ];
    expect(runs.sort(compareRunsNewestFirst).map((run) => run.sequence)).toEqual([2, 3, 1]);
  });
});

describe('resolveListRunsOptions', () => {
  it('applies the defaults and counts negative numbers as 0', () => {
    expect(resolveListRunsOptions(undefined)).toEqual({ limit: DEFAULT_RUN_LIMIT, errorsPerRun: DEFAULT_ERRORS_PER_RUN });
    expect(resolveListRunsOptions({ limit: -3, errorsPerRun: 5 })).toEqual({ limit: 0, errorsPerRun: 5 });
    expect(resolveListRunsOptions({ errorsPerRun: -1 })).toEqual({ limit: DEFAULT_RUN_LIMIT, errorsPerRun: 0 });
  });

  it('passes the status filter on, and none by default', () => {
    expect(resolveListRunsOptions({ status: 'running', limit: 5 })).toStrictEqual({ limit: 5, errorsPerRun: DEFAULT_ERRORS_PER_RUN, status: 'running' });
    expect(resolveListRunsOptions({})).toStrictEqual({ limit: DEFAULT_RUN_LIMIT, errorsPerRun: DEFAULT_ERRORS_PER_RUN, status: undefined });
  });
});

describe('linkToSave', () => {
  const clock = () => new Date(at(30));

  it('stamps a new link, and keeps the origin of the link it updates', () => {
    const input = { kind: 'invoice', invoicedId: '11', netsuiteId: '100011', origin: 'invoiced', fingerprint: null } as const;
    expect(linkToSave(input, { byInvoicedId: undefined, byNetSuiteId: null }, clock)).toEqual({ ...input, updatedAt: at(30) });
    const update = { ...link, origin: 'invoiced', fingerprint: 'b' } as const;
    expect(linkToSave(update, { byInvoicedId: link, byNetSuiteId: link }, clock)).toEqual({ ...link, fingerprint: 'b', updatedAt: at(30) });
  });

  it('refuses an ID linked to another record, naming the Invoiced side first, without reading the clock', () => {
    const never = () => {
      throw new Error('the clock was read');
    };
    const other: SyncLink = { ...link, invoicedId: '12', netsuiteId: '100012' };
    expect(() => linkToSave({ ...link, netsuiteId: '100099' }, { byInvoicedId: link, byNetSuiteId: null }, never)).toThrow(
      expect.objectContaining({ side: 'invoiced', id: '10' }),
    );
    expect(() => linkToSave({ ...link, invoicedId: '99' }, { byInvoicedId: null, byNetSuiteId: link }, never)).toThrow(
      expect.objectContaining({ side: 'netsuite', id: '100010' }),
    );
    expect(() => linkToSave({ ...link, netsuiteId: '100012' }, { byInvoicedId: link, byNetSuiteId: other }, never)).toThrow(LinkConflictError);
    expect(() => linkToSave({ ...link, netsuiteId: '100012' }, { byInvoicedId: link, byNetSuiteId: other }, never)).toThrow(
      expect.objectContaining({ side: 'invoiced' }),
    );
  });
});

describe('stored runs', () => {
  it('starts a run as running and empty, finishes it once, and copies it with the first errors and the full count', () => {
    const stored = startedRun({ id: 'run-1', trigger: 'manual', startedAt: at(0) }, 4);
    expect(stored.sequence).toBe(4);
    expect(copyRun(stored)).toEqual({ id: 'run-1', trigger: 'manual', status: 'running', startedAt: at(0), finishedAt: null, counts: {}, error: null, recordErrors: [], recordErrorCount: 0, recordErrorCodes: {} });

    stored.recordErrors.push(recordError('1'), recordError('2'), recordError('3'));
    const outcome = { status: 'failed', finishedAt: at(5), counts: { records_failed: 3 }, error: { code: 'X', message: 'm', resolution: null } } as const;
    finishStoredRun(stored, outcome);
    const limited = copyRun(stored, 2);
    expect(limited).toMatchObject({ status: 'failed', finishedAt: at(5), counts: { records_failed: 3 }, error: outcome.error, recordErrorCount: 3, recordErrorCodes: { TOTAL_MISMATCH: 3 } });
    expect(limited.recordErrors.map((error) => error.sourceId)).toEqual(['1', '2']);
    expect(copyRun(stored, 0).recordErrors).toEqual([]);

    expect(() => {
      finishStoredRun(stored, { ...outcome, status: 'succeeded' });
    }).toThrow(expect.objectContaining({ reason: 'finished', runId: 'run-1' }));
    expect(() => {
      finishStoredRun(stored, outcome);
    }).toThrow(RunStateError);
    expect(stored.run.status).toBe('failed');
  });

  it('finishes a running run as abandoned, and an abandoned run is finished', () => {
    const stored = startedRun({ id: 'run-1', trigger: 'auto', startedAt: at(0) }, 1);
    const error = { code: 'ABANDONED', message: 'Its process stopped.', resolution: null };
    finishStoredRun(stored, { status: 'abandoned', finishedAt: at(60), counts: { invoices_created: 2 }, error });
    expect(copyRun(stored)).toMatchObject({ status: 'abandoned', finishedAt: at(60), counts: { invoices_created: 2 }, error });
    expect(() => {
      finishStoredRun(stored, { status: 'succeeded', finishedAt: at(61), counts: {}, error: null });
    }).toThrow(expect.objectContaining({ reason: 'finished', runId: 'run-1' }));
  });

  it('copies a run of another store into a stored run that shares nothing with it', () => {
    const run: SyncRun = { id: 'run-2', trigger: 'auto', status: 'running', startedAt: at(0), finishedAt: null, counts: { a: 1 }, error: null, recordErrors: [recordError('1')], recordErrorCount: 1 };
    const stored = toStoredRun(run, 0);
    // A run of a store that does not count its record errors by code gets the counts in the copy.
    expect(copyRun(stored)).toEqual({ ...run, recordErrorCodes: { TOTAL_MISMATCH: 1 } });
    stored.recordErrors.push(recordError('2'));
    finishStoredRun(stored, { status: 'partial', finishedAt: at(1), counts: {}, error: null });
    expect(run.recordErrors).toHaveLength(1);
    expect(run.status).toBe('running');
    expect(Object.keys(stored.run).sort()).toEqual(['counts', 'error', 'finishedAt', 'id', 'startedAt', 'status', 'trigger']);
  });
});

describe('countRecordErrorCodes', () => {
  it('counts record errors by code, every code an own property of a plain object', () => {
    expect(countRecordErrorCodes([])).toEqual({});
    const codes = countRecordErrorCodes(['B', 'A', 'B', '__proto__', 'constructor', '', 'B'].map((code) => ({ code })));
    expect(Object.entries(codes)).toEqual([
      ['B', 3],
      ['A', 1],
      ['__proto__', 1],
      ['constructor', 1],
      ['', 1],
    ]);
    expect(Object.getPrototypeOf(codes)).toBe(Object.prototype);
  });
});

describe('copies', () => {
  it('copy exactly the contract properties, and share no object with the original', () => {
    const extra = { ...link, secret: 'dropped' };
    expect(copyLink(extra)).toEqual(link);

    const error = recordError('1');
    expect(copyRecordError({ ...error, extra: true } as RecordError)).toEqual(error);
    const runError = { code: 'X', message: 'm', resolution: 'r' };
    expect(copyRunError(runError)).toEqual(runError);
    expect(copyRunError(runError)).not.toBe(runError);
    expect(copyRunError(null)).toBeNull();

    const retry: RetryItem = { key: 'k', entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId: '1', number: null, attempts: 2, lastError: { code: 'X', message: 'm', resolution: 'r' }, status: 'ignored', fingerprint: null, updatedAt: at(0) };
    const retryCopy = copyRetryItem(retry);
    expect(retryCopy).toEqual(retry);
    expect(retryCopy.lastError).not.toBe(retry.lastError);

    const checkpoint: ImportCheckpoint = { jobId: 'job', kind: 'invoices', status: 'succeeded', cursor: null, processed: 2, total: 2, result: { nested: { created: 2 } }, updatedAt: at(0) };
    const checkpointCopy = copyCheckpoint(checkpoint);
    expect(checkpointCopy).toEqual(checkpoint);
    expect(checkpointCopy.result?.nested).not.toBe(checkpoint.result?.nested);
    expect(copyCheckpoint({ ...checkpoint, result: null }).result).toBeNull();
  });
});

describe('settleNow', () => {
  it('runs the work before it returns, and settles with its result or what it threw', async () => {
    let ran = false;
    const settled = settleNow(() => {
      ran = true;
      return 42;
    });
    expect(ran).toBe(true);
    await expect(settled).resolves.toBe(42);
    await expect(
      settleNow(() => {
        throw new RunStateError('not_found', 'run-9');
      }),
    ).rejects.toBeInstanceOf(RunStateError);
  });
});
