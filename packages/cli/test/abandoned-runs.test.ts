/**
 * Runs closed as `abandoned` (their process stopped before ending them) as the CLI shows them: in `runs`
 * with their error, in yellow, and a failure when a command's own run ends so.
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SyncRun } from '@invoiced/netsuite-sync';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeOfStatus } from '../src/exit-codes';
import { formatStatus } from '../src/format';
import { stylesFor } from '../src/output';
import { cli, jsonOf, tempDir } from './support';

const directory = await tempDir();
afterAll(() => directory.remove());

const ABANDONED_ERROR = {
  code: 'ABANDONED',
  message: 'The process running this run stopped before it finished; its lease had expired when it was found at 2026-11-24T11:00:00.000Z.',
  resolution: 'Nothing to do: what the run finished stays done.',
};

describe('abandoned runs', () => {
  it('are listed by `runs` as ABANDONED, with when and why, and the run that followed', async () => {
    const dir = join(directory.path, 'store');
    const db = await PGlite.create(dir);
    const store = postgresStore({ pool: db });
    await store.startRun('acme', { id: 'run-dead', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    await store.finishRun('acme', 'run-dead', { status: 'abandoned', finishedAt: '2026-11-24T11:00:00.000Z', counts: { invoices_created: 3 }, error: ABANDONED_ERROR });
    await store.startRun('acme', { id: 'run-next', trigger: 'auto', startedAt: '2026-11-24T11:00:00.000Z' });
    await store.finishRun('acme', 'run-next', { status: 'succeeded', finishedAt: '2026-11-24T11:00:02.000Z', counts: {}, error: null });
    await db.close();

    const text = await cli(['runs', '--store', `pglite:${dir}`, '--connection', 'acme'], { cwd: directory.path });
    expect(text.code).toBe(EXIT_CODES.success);
    expect(text.stdout).toMatch(/auto\s+SUCCEEDED\s+\S+\s+run-next[\s\S]*auto\s+ABANDONED\s+1h 00m\s+run-dead/);
    expect(text.stdout).toContain(`✗ ABANDONED  ${ABANDONED_ERROR.message}`);
    expect(text.stdout).toContain(`→ ${ABANDONED_ERROR.resolution}`);
    expect(text.stdout).toContain('invoices 3 created');

    const json = await cli(['runs', 'run-dead', '--store', `pglite:${dir}`, '--connection', 'acme', '--json'], { cwd: directory.path });
    expect(jsonOf<{ runs: SyncRun[] }>(json).runs).toEqual([expect.objectContaining({ id: 'run-dead', status: 'abandoned', error: ABANDONED_ERROR })]);
  });

  it('show in yellow, and are a failure when a command ends with one', () => {
    const coloured = stylesFor({ isTTY: true, write: () => true }, {});
    expect(formatStatus('abandoned', coloured)).toBe('\u001b[33mABANDONED\u001b[39m');
    expect(formatStatus('abandoned', stylesFor({ isTTY: false, write: () => true }, {}))).toBe('ABANDONED');
    expect(exitCodeOfStatus('abandoned', false)).toBe(EXIT_CODES.failure);
    expect(exitCodeOfStatus('abandoned', true)).toBe(EXIT_CODES.failure);
  });
});
