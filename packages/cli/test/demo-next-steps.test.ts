/**
 * The demo ends by printing the commands that start `netsuite-sync-sandbox` with its books and run
 * `check` and `sync` against it. This test runs them as printed (the shell lines in a shell, the two
 * commands through the functions their bins call), with only the two fixed ports replaced by free ones.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { startSandboxFromArgs, type StartedSandbox } from '@invoiced/netsuite-sync-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PORTS } from '../src/commands/demo-next-steps';
import { EXIT_CODES } from '../src/index';
import { cli, tempDir } from './support';

/** Record errors that wrong settings cause: none may appear when the printed settings fit the books. */
const SETTINGS_ERRORS = ['INVALID_SETTINGS', 'UNKNOWN_CURRENCY', 'DEFAULT_ITEM_REQUIRED', 'DISCOUNT_ITEM_REQUIRED', 'TAX_ITEM_REQUIRED', 'CURRENCY_MISMATCH', 'INVOICE_REFUSED_BY_NETSUITE', 'PAYMENT_REFUSED_BY_NETSUITE', 'INVALID_CONTENT', 'NONEXISTENT_FIELD'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The words of a printed command (the printed commands quote nothing but the shell lines run by a shell). */
const words = (command: string): string[] => command.split(' ').filter((word) => word !== '');

describe('the commands the demo prints last', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let printed: string[] = [];
  let sandbox: StartedSandbox | undefined;
  beforeAll(async () => {
    dir = await tempDir();
    const run = await cli(['demo', '--customers', '30', '--invoices', '150', '--payments', '60', '--seed', '5'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.success);
    const tail = run.stdout.slice(run.stdout.indexOf('Run the CLI against the same sandbox'));
    printed = tail
      .split('\n')
      .filter((line) => line.startsWith('       '))
      .map((line) => line.trim());
  });
  afterAll(async () => {
    await sandbox?.servers.close();
    await dir.remove();
  });

  it('are the sandbox with the same books and seed, the connection, the settings, check and sync', () => {
    expect(printed).toHaveLength(6);
    expect(printed[0]).toBe(`npx netsuite-sync-sandbox --seed 5 --customers 30 --invoices 150 --payments 60 --netsuite-port ${SANDBOX_PORTS.netsuite} --invoiced-port ${SANDBOX_PORTS.invoiced}`);
    expect(printed[1]).toMatch(/^printf '%s\\n' NETSUITE_ACCOUNT_ID=1234567_SB1 NETSUITE_BASE_URL=http:\/\/127\.0\.0\.1:4610 .* > sandbox\.env$/);
    expect(printed[3]).toBe('npx netsuite-sync check --env-file sandbox.env --settings sandbox-settings.json --store sqlite:sandbox-state.db');
    expect(printed[4]).toBe('npx netsuite-sync sync --env-file sandbox.env --settings sandbox-settings.json --store sqlite:sandbox-state.db');
  });

  it('work as printed: check passes, and sync ends with no record error that the settings cause', async () => {
    const ports = { netsuite: await freePort(), invoiced: await freePort() };
    const lines = printed.map((line) =>
      line.replaceAll(`:${SANDBOX_PORTS.netsuite}`, `:${ports.netsuite}`).replaceAll(`-port ${SANDBOX_PORTS.netsuite}`, `-port ${ports.netsuite}`).replaceAll(`:${SANDBOX_PORTS.invoiced}`, `:${ports.invoiced}`).replaceAll(`-port ${SANDBOX_PORTS.invoiced}`, `-port ${ports.invoiced}`),
    );
    const [start, writeEnv, writeSettings, check, sync, runs] = lines as [string, string, string, string, string, string];
    sandbox = await startSandboxFromArgs(words(start).slice(2));
    expect(sandbox?.servers.netsuiteUrl).toBe(`http://127.0.0.1:${ports.netsuite}`);
    execFileSync('sh', ['-c', `${writeEnv} && ${writeSettings}`], { cwd: dir.path });

    const checked = await cli(words(check).slice(2), { cwd: dir.path });
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(EXIT_CODES.success);

    const synced = await cli(words(sync).slice(2), { cwd: dir.path });
    expect([EXIT_CODES.success, EXIT_CODES.partial]).toContain(synced.code);
    const listed = await cli([...words(runs).slice(2), '--json'], { cwd: dir.path });
    expect(listed.code).toBe(EXIT_CODES.success);
    for (const code of SETTINGS_ERRORS) expect(listed.stdout).not.toContain(`"${code}"`);
    expect(listed.stdout).toContain('"status"');
  });
});
