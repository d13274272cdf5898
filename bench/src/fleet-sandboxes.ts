/**
 * The fleet bench's sandbox host, a child process of its own: one sandbox per connection (its own
 * NetSuite account `<1000000+i>_SB1` and its own Invoiced account, small generated books), each on two
 * loopback HTTP servers. It writes the accounts file the workers read, says `ready`, forgets the sandboxes'
 * request logs every few seconds (keeping counts), and on `stop` closes every server and says `closed`.
 */
import { writeFileSync } from 'node:fs';
import { createSandbox, generateBooks, settingsForBooks, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { connectionIdOf, hostConfigSchema, netsuiteAccountOf, type Account } from '#bench/fleet-protocol';
import { tell } from '#bench/fleet-process';

async function start(raw: unknown): Promise<void> {
  const config = hostConfigSchema.parse(raw);
  const started = performance.now();
  const running: { sandbox: Sandbox; servers: SandboxServers }[] = [];
  const accounts: Account[] = [];
  for (let index = 0; index < config.connections; index++) {
    const seed = config.seed * 100_003 + index;
    const sandbox = createSandbox({ seed, netsuite: { accountId: netsuiteAccountOf(index), latencyMs: config.latencyMs }, invoiced: { latencyMs: config.latencyMs } });
    const books = generateBooks({ seed, customers: 3, invoices: 4, payments: 1, creditMemos: 0, invoiced: { customers: 2, invoices: 3, payments: 1 } });
    sandbox.load(books);
    const servers = await sandbox.listen();
    running.push({ sandbox, servers });
    accounts.push({
      id: connectionIdOf(index),
      netsuiteAccount: sandbox.netsuite.accountId,
      netsuiteUrl: servers.netsuiteUrl,
      invoicedUrl: servers.invoicedUrl,
      credentials: sandbox.netsuite.credentials,
      apiKey: sandbox.invoiced.apiKey,
      settings: { ...settingsForBooks(books), cursorOverlapMs: 0 },
    });
  }
  writeFileSync(config.accountsFile, JSON.stringify(accounts));
  const totals = { netsuite: 0, invoiced: 0, refused: 0 };
  const collect = () => {
    for (const { sandbox } of running) {
      totals.netsuite += sandbox.netsuite.requests.length;
      totals.invoiced += sandbox.invoiced.requests.length;
      sandbox.netsuite.clearRequests();
      sandbox.invoiced.clearRequests();
    }
  };
  const timer = setInterval(collect, 5000);
  tell({ type: 'ready', startMs: performance.now() - started, rssMb: process.memoryUsage.rss() / 1024 / 1024 });
  process.on('message', (message) => {
    if ((message as { type?: unknown }).type !== 'stop') return;
    clearInterval(timer);
    collect();
    for (const { sandbox } of running) totals.refused += sandbox.netsuite.stats.refused + sandbox.invoiced.stats.refused;
    void Promise.all(running.map(({ servers }) => servers.close())).then(() => {
      tell({ type: 'closed', requests: totals, rssMb: process.memoryUsage.rss() / 1024 / 1024 });
      process.disconnect();
    });
  });
}

process.once('message', (message) => {
  start(message).catch((error: unknown) => {
    process.stderr.write(`sandbox host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
});
