/**
 * A first and an incremental sync against the sandbox, over real HTTP, with the in-memory store.
 *
 *   pnpm --filter @invoiced/netsuite-sync-examples first-sync
 *
 * To run against real accounts, build the two clients from your credentials instead of the sandbox's.
 */
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncRun } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

const sandbox = createSandbox({ seed: 7 });
const books = generateBooks({ seed: 7, customers: 40, invoices: 300, payments: 120 });
sandbox.load(books);
const servers = await sandbox.listen();

const engine = createSyncEngine({
  netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
  invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl }),
  store: memoryStore(),
  connectionId: 'example',
  settings: {
    // Internal IDs in the NetSuite account: the item of Invoiced lines, the subsidiary of new customers, currencies.
    items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
    subsidiary: books.netsuite.subsidiaries[0]?.id,
    currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
  },
});

const show = (label: string, run: SyncRun) => {
  const counts = Object.entries(run.counts).map(([name, value]) => `${name}=${value}`).join(' ');
  console.log(`${label}: ${run.status} ${counts}`);
  for (const error of run.recordErrors.slice(0, 5)) console.log(`  ${error.number ?? error.sourceId}: [${error.code}] ${error.message}\n    -> ${error.resolution}`);
  if (run.recordErrors.length > 5) console.log(`  ... and ${run.recordErrors.length - 5} more`);
};

try {
  const first = await engine.sync({ trigger: 'manual' });
  show('first sync', first);

  const [invoice] = sandbox.netsuite.state.query("SELECT id FROM transaction WHERE type = 'CustInvc' AND status = 'A' AND externalid IS NULL");
  sandbox.netsuite.state.update('invoice', String(invoice?.id), { memo: 'changed in NetSuite', dueDate: '2026-12-31' });
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the change must be later than the first run's cursor

  sandbox.netsuite.clearRequests();
  sandbox.invoiced.clearRequests();
  const incremental = await engine.sync({ trigger: 'auto' });
  show('incremental sync', incremental);
  console.log(`requests: NetSuite ${sandbox.netsuite.requests.length}, Invoiced ${sandbox.invoiced.requests.length}`);
  if (first.status === 'failed' || incremental.status === 'failed' || (incremental.counts.invoices_updated ?? 0) < 1) process.exitCode = 1;
} finally {
  await servers.close();
}
