/**
 * Invoiced to NetSuite in seconds: Invoiced's webhooks fill the store's inbox, and an inbox runner in the
 * same process syncs the records they name. Against the sandbox, over real HTTP, with the in-memory store.
 *
 *   pnpm --filter @invoiced/netsuite-sync-examples webhooks
 *
 * In production the handler sits behind your public HTTPS URL, registered in Invoiced (Settings >
 * Developers > Webhooks), and its secret comes from that page. See docs/real-time.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInboxRunner, createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncRun } from '@invoiced/netsuite-sync';
import { createInvoicedWebhookHandler, toNodeListener } from '@invoiced/netsuite-sync/webhooks';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

const sandbox = createSandbox({ seed: 7 });
const books = generateBooks({ seed: 7, customers: 20, invoices: 60, payments: 20 });
sandbox.load(books);
const servers = await sandbox.listen();
const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl });
const store = memoryStore();
const connectionId = 'example';

const engine = createSyncEngine({
  netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
  invoiced,
  store,
  connectionId,
  settings: {
    items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
    subsidiary: books.netsuite.subsidiaries[0]?.id,
    currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
  },
});

const counts = (run: SyncRun) => Object.entries(run.counts).map(([name, value]) => `${name}=${value}`).join(' ');
const started = performance.now();
const elapsed = () => `${Math.round(performance.now() - started)} ms`;

// Runs engine.syncPending() whenever the handler accepts an event; a burst becomes a few runs, not one each.
const runner = createInboxRunner(engine, {
  onRun: (run) => console.log(`  [${elapsed()}] webhook run (${run.trigger}): ${run.status} ${counts(run)}`),
});

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/invoiced/webhook`;

try {
  // The scheduled sync (auto-sync in production): the first one imports NetSuite's open invoices.
  const first = await engine.sync({ trigger: 'manual' });
  console.log(`first sync: ${first.status} ${counts(first)}`);

  // Invoiced: Settings > Developers > Webhooks > add the URL; Invoiced shows its secret.
  const { secret } = sandbox.invoiced.webhooks.add({ url });
  const handler = createInvoicedWebhookHandler({
    secret,
    connectionId,
    store,
    onAccepted: () => runner.notify(),
    logger: { info: (message, fields) => console.log(`  [${elapsed()}] ${message} ${JSON.stringify(fields ?? {})}`) },
  });
  server.on('request', toNodeListener(handler));
  runner.notify(); // events an earlier process accepted and did not run (none here)

  // Someone records a payment on Invoiced for an open invoice the first sync linked.
  const open = (await store.listLinks(connectionId, 'invoice'))
    .map((link) => sandbox.invoiced.state.get('invoices', Number(link.invoicedId)))
    .find((invoice) => invoice !== undefined && !invoice.paid && invoice.balance > 0 && invoice.status !== 'voided');
  if (open === undefined) throw new Error('The first sync imported no open invoice.');
  const before = { netsuite: sandbox.netsuite.requests.length, invoiced: sandbox.invoiced.requests.length };
  const payment = await invoiced.payments.create({
    customer: open.customer,
    currency: open.currency,
    amount: open.balance,
    method: 'check',
    reference: 'CHK-1042',
    applied_to: [{ type: 'invoice', invoice: open.id, amount: open.balance }],
  });
  const recorded = performance.now();
  console.log(`[${elapsed()}] payment ${payment.id} of ${payment.amount} ${payment.currency.toUpperCase()} recorded on Invoiced for invoice ${open.number}`);

  // Wait until the payment is in NetSuite (a real deployment would simply let it happen).
  const externalId = `invd-pay-${payment.id}`;
  while (sandbox.netsuite.state.findByExternalId('customerPayment', externalId) === undefined) {
    if (performance.now() - recorded > 30_000) throw new Error('The payment did not reach NetSuite within 30 s.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`[${elapsed()}] payment ${payment.id} is in NetSuite as ${externalId}, ${Math.round(performance.now() - recorded)} ms after it was recorded`);

  await sandbox.invoiced.webhooks.idle();
  await runner.idle();
  const deliveries = sandbox.invoiced.webhooks.deliveries();
  console.log(`webhook deliveries: ${deliveries.map((delivery) => `${delivery.eventType} ${delivery.status}`).join(', ')}`);
  // What the webhook runs cost: every request after the POST /payments. Here NetSuite's current time (no
  // netsuiteTimeZone is set) and the payment's upsert; on Invoiced, the payment and its invoice read by ID.
  const made = [...sandbox.netsuite.requests.slice(before.netsuite), ...sandbox.invoiced.requests.slice(before.invoiced + 1)];
  console.log(`requests of the webhook runs: ${made.length}`);
  for (const request of made) console.log(`  ${request.service} ${request.method} ${request.path} ${request.status}`);
  console.log(`inbox: ${(await store.listPendingEvents(connectionId)).length} event(s) pending`);
  if (!deliveries.every((delivery) => delivery.ok)) process.exitCode = 1;
} finally {
  await runner.close();
  sandbox.invoiced.webhooks.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await servers.close();
}
