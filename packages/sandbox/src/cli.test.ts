import { describe, expect, it } from 'vitest';
import { SandboxUsageError, startSandboxFromArgs } from './cli';

describe('netsuite-sync-sandbox command', () => {
  it('starts both servers with generated books and prints URLs and credentials that work', async () => {
    const started = await startSandboxFromArgs(['--seed', '4', '--customers', '12', '--invoices', '30', '--payments', '10', '--credit-memos', '2']);
    expect(started).toBeDefined();
    if (started === undefined) return;
    try {
      const { output } = started;
      expect(output.netsuite.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output.netsuite.accountId).toBe('1234567_SB1');
      expect(output.books).toMatchObject({ netsuite: expect.objectContaining({ customers: 12 }) as unknown });
      const basic = Buffer.from(`${output.invoiced.apiKey}:`).toString('base64');
      const response = await fetch(`${output.invoiced.url}/customers?per_page=100`, { headers: { authorization: `Basic ${basic}` } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as unknown[]).length).toBeGreaterThan(0);
      const refused = await fetch(`${output.netsuite.url}/services/rest/record/v1/customer`);
      expect(refused.status).toBe(401);
    } finally {
      await started.servers.close();
    }
  });

  it('gives the same credentials for the same seed', async () => {
    const a = await startSandboxFromArgs(['--seed', '9', '--empty']);
    const b = await startSandboxFromArgs(['--seed', '9', '--empty']);
    try {
      expect(a?.output.netsuite.credentials).toEqual(b?.output.netsuite.credentials);
      expect(a?.output.invoiced.apiKey).toBe(b?.output.invoiced.apiKey);
      expect(a?.output.books).toBeNull();
    } finally {
      await a?.servers.close();
      await b?.servers.close();
    }
  });

  it('returns nothing for --help', async () => {
    await expect(startSandboxFromArgs(['--help'])).resolves.toBeUndefined();
  });

  it.each([[['--customers', 'x']], [['--latency', '-1']], [['--unknown']], [['stray']]])('refuses %j with a usage error', async (args) => {
    await expect(startSandboxFromArgs(args)).rejects.toBeInstanceOf(SandboxUsageError);
  });
});
