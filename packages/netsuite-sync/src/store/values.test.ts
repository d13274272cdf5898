import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, NetSuiteSyncError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { Direction, EntityKind, ImportCheckpoint, InboxEvent, RecordError, RetryItem, RunStatus, RunTrigger, Side } from './sync-store';
import { invalidStoreRowMessage, parseStoreArguments, parseStoreRows, storeValueSchemas as values } from './values';

const retryItem: RetryItem = {
  key: 'invoice:1',
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId: '1',
  number: 'INV-1',
  attempts: 2,
  lastError: { code: 'E', message: 'failed', resolution: 'retry' },
  status: 'pending',
  fingerprint: null,
  updatedAt: '2026-11-24T10:00:00.000Z',
};

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('storeValueSchemas', () => {
  it('outputs exactly the types of the contract', () => {
    expectTypeOf<z.output<typeof values.entityKind>>().toEqualTypeOf<EntityKind>();
    expectTypeOf<z.output<typeof values.side>>().toEqualTypeOf<Side>();
    expectTypeOf<z.output<typeof values.direction>>().toEqualTypeOf<Direction>();
    expectTypeOf<z.output<typeof values.runTrigger>>().toEqualTypeOf<RunTrigger>();
    expectTypeOf<z.output<typeof values.runStatus>>().toEqualTypeOf<RunStatus>();
    expectTypeOf<z.output<typeof values.finishedStatus>>().toEqualTypeOf<Exclude<RunStatus, 'running'>>();
    expectTypeOf<z.output<typeof values.retryStatus>>().toEqualTypeOf<RetryItem['status']>();
    expectTypeOf<z.output<typeof values.checkpointKind>>().toEqualTypeOf<ImportCheckpoint['kind']>();
    expectTypeOf<z.output<typeof values.checkpointStatus>>().toEqualTypeOf<ImportCheckpoint['status']>();
    expectTypeOf<z.output<typeof values.retryItem>>().toExtend<RetryItem>();
    expectTypeOf<RetryItem>().toExtend<z.input<typeof values.retryItem>>();
    expectTypeOf<RecordError>().toExtend<z.input<typeof values.recordError>>();
    expectTypeOf<z.output<typeof values.eventStatus>>().toEqualTypeOf<InboxEvent['status']>();
    expectTypeOf<z.output<typeof values.inboxEvent>>().toExtend<InboxEvent>();
    expectTypeOf<InboxEvent>().toExtend<z.input<typeof values.inboxEvent>>();
    expectTypeOf<z.output<typeof values.newEvent>>().toExtend<Omit<InboxEvent, 'status'>>();
    expectTypeOf<Omit<InboxEvent, 'status'>>().toExtend<z.input<typeof values.newEvent>>();
  });

  it('takes the webhook trigger, and inbox events of the contract only', () => {
    expect(values.runTrigger.options).toEqual(['manual', 'auto', 'import', 'retry', 'webhook']);
    const added = { id: '1001', type: 'payment.created', entity: 'payment', sourceId: '77', occurredAt: '2026-11-24T09:59:59.000Z', receivedAt: '2026-11-24T10:00:00.000Z' } as const;
    expect(values.newEvent.parse({ ...added, status: 'done', extra: 1 })).toEqual(added);
    expect(values.inboxEvent.parse({ ...added, status: 'done' })).toEqual({ ...added, status: 'done' });
    const paths = (result: { error?: { issues: { path: PropertyKey[] }[] } | undefined }) => result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths(values.newEvent.safeParse({ ...added, entity: 'order', id: '', type: '', receivedAt: '2026-02-30T10:00:00.000Z' }))).toEqual(['id', 'type', 'entity', 'receivedAt']);
    expect(paths(values.inboxEvent.safeParse({ ...added, status: 'ignored' }))).toEqual(['status']);
    expect(paths(values.eventIds.safeParse(['1', '']))).toEqual(['1']);
    expect(values.listPendingEventsOptions.parse(undefined)).toBeUndefined();
    expect(paths(values.listPendingEventsOptions.safeParse({ limit: 1.5 }))).toEqual(['limit']);
  });

  it('lists the members of each enum in the order its issues name them', () => {
    expect(values.entityKind.options).toEqual(['customer', 'invoice', 'payment', 'creditNote', 'refund']);
    expect(values.runStatus.options).toEqual(['running', 'succeeded', 'partial', 'failed', 'cancelled', 'abandoned']);
    expect(values.finishedStatus.options).toEqual(['succeeded', 'partial', 'failed', 'cancelled', 'abandoned']);
    expect(values.checkpointStatus.options).toEqual(['running', 'succeeded', 'failed', 'cancelled']);
  });

  it('takes a time only exactly as toISOString() writes it', () => {
    expect(values.isoTime.safeParse('2026-11-24T10:00:00.000Z').success).toBe(true);
    expect(values.isoTime.safeParse('2026-11-24T10:00:00Z').error?.issues[0]?.message).toBe('must be an ISO 8601 UTC time such as 2026-11-24T10:00:00.000Z');
    expect(values.isoTime.safeParse('2026-02-30T10:00:00.000Z').error?.issues[0]?.message).toBe('must be a valid time');
  });

  it('takes a retry item with any number of attempts and drops unknown properties; a store may extend it', () => {
    expect(values.retryItem.parse({ ...retryItem, attempts: 2 ** 40, extra: true })).toEqual({ ...retryItem, attempts: 2 ** 40 });
    const bounded = values.retryItem.extend({ attempts: values.count.max(2_147_483_647) });
    expect(bounded.safeParse({ ...retryItem, attempts: 2 ** 40 }).error?.issues.map((issue) => issue.path)).toEqual([['attempts']]);
    expect(values.retryItem.safeParse({ ...retryItem, attempts: -1 }).success).toBe(false);
  });
});

describe('parseStoreArguments', () => {
  const getRun = z.object({ connectionId: values.identifier, runId: values.identifier });

  it('returns what the schema outputs', () => {
    expect(parseStoreArguments('Test store', 'getRun', getRun, { connectionId: 'acme', runId: 'r1', extra: 1 })).toEqual({ connectionId: 'acme', runId: 'r1' });
  });

  it('throws ConfigurationError INVALID_ARGUMENT naming the store, the method and each wrong field, never the value', () => {
    const error = thrownBy(() => parseStoreArguments('Test store', 'getRun', getRun, { connectionId: 'secret-value', runId: '', other: 1 }));
    expect(error).toBeInstanceOf(ConfigurationError);
    const { message, code, issues, resolution } = error as ConfigurationError;
    expect(message).toBe("Invalid arguments to the Test store's getRun (runId: Too small: expected string to have >=1 characters).");
    expect(code).toBe('INVALID_ARGUMENT');
    expect(issues).toEqual([{ path: 'runId', message: 'Too small: expected string to have >=1 characters' }]);
    expect(resolution).toMatch(/^Pass values of the SyncStore contract/);
    expect(JSON.stringify((error as ConfigurationError).toJSON())).not.toContain('secret-value');
  });
});

describe('parseStoreRows and invalidStoreRowMessage', () => {
  const row = z.object({ kind: values.entityKind, n: z.number() });
  const invalid = (issues: ValidationIssue[]) => new NetSuiteSyncError(invalidStoreRowMessage('links', issues), { code: 'TEST_INVALID_ROW' });

  it('parses every row', () => {
    expect(parseStoreRows(row, [{ kind: 'invoice', n: 1 }, { kind: 'customer', n: 2 }], invalid)).toEqual([{ kind: 'invoice', n: 1 }, { kind: 'customer', n: 2 }]);
  });

  it('throws the error the store makes of the first wrong row, naming its columns', () => {
    const error = thrownBy(() => parseStoreRows(row, [{ kind: 'invoice', n: 1 }, { kind: 'order', n: 'x' }], invalid));
    expect(error).toBeInstanceOf(NetSuiteSyncError);
    expect((error as NetSuiteSyncError).message).toBe('A row of the links table does not have the expected shape (kind: Invalid option: expected one of "customer"|"invoice"|"payment"|"creditNote"|"refund").');
    expect((error as NetSuiteSyncError).code).toBe('TEST_INVALID_ROW');
  });

  it('says row when the whole row is wrong, and nothing more without issues', () => {
    expect(invalidStoreRowMessage('runs', [{ path: '', message: 'Invalid input' }])).toBe('A row of the runs table does not have the expected shape (row: Invalid input).');
    expect(invalidStoreRowMessage('runs', [])).toBe('A row of the runs table does not have the expected shape.');
  });
});
