/**
 * The text encoding of the store: any string round-trips (NUL characters and unpaired surrogates
 * included), text without NUL, unpaired surrogates or U+FDD0 is stored unchanged, and so rows written by
 * the previous release (which refused NUL and unpaired surrogates) read back exactly, with no migration.
 */
import type { RecordError, RetryItem } from '@invoiced/netsuite-sync';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, postgresStore } from '../src/index';
import { decodeDeep, decodeText, encodeDeep, encodeText } from '../src/text-encoding';
import { openBackend, randomSchema } from './support';

const backend = await openBackend();
const schema = randomSchema('encoding');
await migrate(backend.pool, { schema });
afterAll(async () => {
  await backend.dropSchema(schema);
  await backend.close();
});
const store = postgresStore({ pool: backend.pool, schema });
const table = (name: string): string => `"${schema}"."netsuite_sync_${name}"`;
let connectionCount = 0;
const fresh = (): string => `encoding-test-${(connectionCount += 1)}-${Date.now()}`;

/** Pieces of text the previous release could store: escape look-alikes, U+FDD0's neighbours, emoji. */
const PLAIN = ['a', 'Z', '0', '9', ' ', '\\', '"', "'", '%', '_', '\n', '\t', 'é', '株', '😀', '\uFFFD', '\uFFFF', '\uFDCF', '\uFDD1', '\uFDEF', 'u', 'x', '0000', 'FDD0', 'D800', '\\u0000', '\\x00', '%00', '\\0', '\\uFDD0'];
/** What the encoding escapes. */
const SPECIAL = ['\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFDD0'];
/** Text Postgres `text` cannot hold. */
const UNSTORABLE = /\0|\p{Cs}/u;

/** `count` strings of up to 12 pieces from `pieces`, the same on every run (a fixed-seed generator). */
function strings(pieces: readonly string[], count: number, seed: number): string[] {
  let state = seed;
  const next = (below: number): number => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
  return Array.from({ length: count }, () => Array.from({ length: next(13) }, () => pieces[next(pieces.length)] ?? '').join(''));
}

/** Text as the previous release stored it: escape look-alikes, quotes, U+FDD0's neighbours, emoji. */
const LEGACY = `O'Brien "Ltd" \\u0000 \\x00 %00 \\0 \\uFDD0 FDD00000 \uFDD1 \uFFFF \uFFFD 株式会社 😀 \n\t end`;

describe('encodeText and decodeText', () => {
  it('store text without NUL, unpaired surrogates or U+FDD0 unchanged, and read it unchanged', () => {
    for (const text of [...strings(PLAIN, 3_000, 1), LEGACY, '']) {
      expect(encodeText(text)).toBe(text);
      expect(decodeText(text)).toBe(text);
    }
  });

  it('round-trip any string, into text Postgres can hold', () => {
    for (const text of strings([...PLAIN, ...SPECIAL], 5_000, 2)) {
      const stored = encodeText(text);
      expect(UNSTORABLE.test(stored)).toBe(false);
      expect(decodeText(stored)).toBe(text);
    }
  });

  it('write each escape as U+FDD0 and the four hex digits of the code unit, escaping U+FDD0 itself', () => {
    expect(encodeText('INV\0 1001')).toBe('INV\uFDD00000 1001');
    expect(encodeText('\uD800 \uDFFF \uD83D\uDE00')).toBe('\uFDD0D800 \uFDD0DFFF \uD83D\uDE00');
    expect(encodeText('\uFDD0')).toBe('\uFDD0FDD0');
    // Text that looks like an escape is escaped again, so it reads back as it was.
    expect(encodeText('\uFDD00000')).toBe('\uFDD0FDD00000');
    expect(decodeText('\uFDD0FDD00000')).toBe('\uFDD00000');
  });

  it('keep a U+FDD0 that starts no escape of the encoding', () => {
    for (const text of ['\uFDD0', 'a\uFDD0', '\uFDD0ABCD', '\uFDD0fdd0', '\uFDD0000', '\uFDD0 0000', '\uFDD0E000']) expect(decodeText(text)).toBe(text);
  });

  it('encode and decode every string and key of a value, leaving numbers, booleans and null', () => {
    const value = { 'key\0': ['a\0', 1, true, null, { nested: '\uD800', '\uFDD0': 2.5 }], plain: 'text' };
    const stored = encodeDeep(value);
    expect(stored).toEqual({ 'key\uFDD00000': ['a\uFDD00000', 1, true, null, { nested: '\uFDD0D800', '\uFDD0FDD0': 2.5 }], plain: 'text' });
    expect(Object.keys(stored)).toEqual(['key\uFDD00000', 'plain']);
    expect(decodeDeep(stored)).toEqual(value);
    expect(decodeDeep(JSON.parse(JSON.stringify(stored)) as unknown)).toEqual(value);
  });
});

describe(`stored rows on ${backend.label}`, () => {
  const recordError = (text: string): RecordError => ({ entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId: `src ${text}`, number: text, code: 'CODE', message: text, resolution: text, occurredAt: '2026-11-24T10:00:01.000Z' });
  const retryItem = (text: string): RetryItem => ({
    key: `netsuite_to_invoiced:invoice:${text}`,
    entity: 'invoice',
    direction: 'netsuite_to_invoiced',
    sourceId: text,
    number: text,
    attempts: 2,
    lastError: { code: 'CODE', message: text, resolution: text },
    status: 'pending',
    fingerprint: text,
    updatedAt: '2026-11-24T10:00:02.000Z',
  });

  it('reads rows the previous release wrote exactly as they were saved, and updates them in place', async () => {
    const connection = `${fresh()} ${LEGACY}`;
    const error = recordError(LEGACY);
    const item = retryItem(LEGACY);
    const result = { [`key ${LEGACY}`]: LEGACY, list: [LEGACY, 1] };
    // The rows as the previous release wrote them (its statements, its parameters).
    await backend.pool.query(`INSERT INTO ${table('leases')} (connection_id, holder, expires_at) VALUES ($1, $2, clock_timestamp() + interval '1 minute')`, [connection, `holder ${LEGACY}`]);
    await backend.pool.query(`INSERT INTO ${table('cursors')} (connection_id, phase, value) VALUES ($1, $2, $3)`, [connection, LEGACY, `cursor ${LEGACY}`]);
    await backend.pool.query(`INSERT INTO ${table('links')} (connection_id, kind, invoiced_id, netsuite_id, origin, fingerprint, updated_at) VALUES ($1, 'invoice', $2, $3, 'netsuite', $4, '2026-11-24T10:00:00.000Z')`, [connection, `inv ${LEGACY}`, `ns ${LEGACY}`, `fp ${LEGACY}`]);
    await backend.pool.query(`INSERT INTO ${table('runs')} (connection_id, id, trigger, status, started_at, counts, record_error_count) VALUES ($1, $2, 'auto', 'running', '2026-11-24T10:00:00.000Z', $3::json, 1)`, [connection, `run ${LEGACY}`, JSON.stringify({ [`count ${LEGACY}`]: 3 })]);
    await backend.pool.query(
      `INSERT INTO ${table('run_errors')} (connection_id, run_id, ordinal, entity, direction, source_id, number, code, message, resolution, occurred_at) VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [connection, `run ${LEGACY}`, error.entity, error.direction, error.sourceId, error.number, error.code, error.message, error.resolution, error.occurredAt],
    );
    await backend.pool.query(
      `INSERT INTO ${table('retries')} (connection_id, key, entity, direction, source_id, number, attempts, last_error_code, last_error_message, last_error_resolution, status, fingerprint, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [connection, item.key, item.entity, item.direction, item.sourceId, item.number, item.attempts, item.lastError.code, item.lastError.message, item.lastError.resolution, item.status, item.fingerprint, item.updatedAt],
    );
    await backend.pool.query(`INSERT INTO ${table('checkpoints')} (connection_id, job_id, kind, status, cursor, processed, total, result, updated_at) VALUES ($1, $2, 'invoices', 'succeeded', $3, 1, 1, $4::json, '2026-11-24T10:00:03.000Z')`, [
      connection,
      `job ${LEGACY}`,
      LEGACY,
      JSON.stringify(result),
    ]);

    expect(await store.acquireLease(connection, 'other', 60_000)).toBe(false);
    expect(await store.renewLease(connection, `holder ${LEGACY}`, 60_000)).toBe(true);
    expect(await store.getCursor(connection, LEGACY)).toBe(`cursor ${LEGACY}`);
    const link = { kind: 'invoice', invoicedId: `inv ${LEGACY}`, netsuiteId: `ns ${LEGACY}`, origin: 'netsuite', fingerprint: `fp ${LEGACY}`, updatedAt: '2026-11-24T10:00:00.000Z' } as const;
    expect(await store.findLinkByInvoicedId(connection, 'invoice', link.invoicedId)).toEqual(link);
    expect(await store.findLinkByNetSuiteId(connection, 'invoice', link.netsuiteId)).toEqual(link);
    expect(await store.listLinks(connection, 'invoice')).toEqual([link]);
    const run = { id: `run ${LEGACY}`, trigger: 'auto', status: 'running', startedAt: '2026-11-24T10:00:00.000Z', finishedAt: null, counts: { [`count ${LEGACY}`]: 3 }, error: null, recordErrors: [error], recordErrorCount: 1, recordErrorCodes: { [error.code]: 1 } };
    expect(await store.getRun(connection, run.id)).toEqual(run);
    expect(await store.listRuns(connection)).toEqual([run]);
    expect(await store.getRetry(connection, item.key)).toEqual(item);
    expect(await store.listRetries(connection)).toEqual([item]);
    expect(await store.getCheckpoint(connection, `job ${LEGACY}`)).toMatchObject({ cursor: LEGACY, result });

    // Writes find the same rows.
    await store.setCursor(connection, LEGACY, 'next');
    expect((await backend.pool.query(`SELECT value FROM ${table('cursors')} WHERE connection_id = $1`, [connection])).rows).toEqual([{ value: 'next' }]);
    expect((await store.saveLink(connection, { ...link, fingerprint: 'v2' })).fingerprint).toBe('v2');
    expect(await store.finishRun(connection, run.id, { status: 'succeeded', finishedAt: '2026-11-24T10:00:09.000Z', counts: {}, error: null })).toMatchObject({ status: 'succeeded', recordErrors: [error] });
    await store.deleteRetry(connection, item.key);
    expect(await store.listRetries(connection)).toEqual([]);
  });

  it('writes text without NUL, unpaired surrogates or U+FDD0 as it is, so the previous release reads it the same', async () => {
    const connection = `${fresh()} ${LEGACY}`;
    await store.setCursor(connection, LEGACY, `cursor ${LEGACY}`);
    await store.saveRetry(connection, retryItem(LEGACY));
    await store.startRun(connection, { id: LEGACY, trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    await store.addRecordErrors(connection, LEGACY, [recordError(LEGACY)]);
    await store.finishRun(connection, LEGACY, { status: 'failed', finishedAt: '2026-11-24T10:00:01.000Z', counts: { [LEGACY]: 1 }, error: { code: 'X', message: LEGACY, resolution: null } });

    const cursor = await backend.pool.query(`SELECT phase, value FROM ${table('cursors')} WHERE connection_id = $1`, [connection]);
    expect(cursor.rows).toEqual([{ phase: LEGACY, value: `cursor ${LEGACY}` }]);
    const retry = await backend.pool.query(`SELECT key, source_id, number, last_error_message, fingerprint FROM ${table('retries')} WHERE connection_id = $1`, [connection]);
    expect(retry.rows).toEqual([{ key: retryItem(LEGACY).key, source_id: LEGACY, number: LEGACY, last_error_message: LEGACY, fingerprint: LEGACY }]);
    const runs = await backend.pool.query(`SELECT id, counts::text AS counts, error::text AS error FROM ${table('runs')} WHERE connection_id = $1`, [connection]);
    expect(runs.rows).toEqual([{ id: LEGACY, counts: JSON.stringify({ [LEGACY]: 1 }), error: JSON.stringify({ code: 'X', message: LEGACY, resolution: null }) }]);
    const errors = await backend.pool.query(`SELECT source_id, number, message FROM ${table('run_errors')} WHERE connection_id = $1`, [connection]);
    expect(errors.rows).toEqual([{ source_id: `src ${LEGACY}`, number: LEGACY, message: LEGACY }]);
  });

  it('writes NUL characters and unpaired surrogates as escapes, in text columns and inside JSON', async () => {
    const text = 'INV\0 1001 \uD800';
    const stored = 'INV\uFDD00000 1001 \uFDD0D800';
    const connection = fresh();
    await store.setCursor(connection, 'phase', text);
    await store.startRun(connection, { id: text, trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    await store.finishRun(connection, text, { status: 'failed', finishedAt: '2026-11-24T10:00:01.000Z', counts: { [text]: 1 }, error: { code: 'X', message: text, resolution: null } });
    await store.saveCheckpoint(connection, { jobId: 'job', kind: 'invoices', status: 'succeeded', cursor: null, processed: 1, total: 1, result: { [text]: [text] }, updatedAt: '2026-11-24T10:00:02.000Z' });

    expect((await backend.pool.query(`SELECT value FROM ${table('cursors')} WHERE connection_id = $1`, [connection])).rows).toEqual([{ value: stored }]);
    const runs = await backend.pool.query(`SELECT id, counts::text AS counts, error->>'message' AS message FROM ${table('runs')} WHERE connection_id = $1`, [connection]);
    expect(runs.rows).toEqual([{ id: stored, counts: JSON.stringify({ [stored]: 1 }), message: stored }]);
    const checkpoint = await backend.pool.query(`SELECT result::text AS result FROM ${table('checkpoints')} WHERE connection_id = $1`, [connection]);
    expect(checkpoint.rows).toEqual([{ result: JSON.stringify({ [stored]: [stored] }) }]);
    expect(await store.getCheckpoint(connection, 'job')).toMatchObject({ result: { [text]: [text] } });
  });
});
