/**
 * Field mappings against a sandbox account with its own shape (Make Classes Mandatory, a mandatory custom
 * Region field, a custom PO field): the connection check names what the settings miss before any write;
 * with the mappings of docs/field-mappings.md it passes, and a sync writes an Invoiced invoice with its
 * class, region and PO number.
 *
 *   pnpm --filter @invoiced/netsuite-sync-examples field-mappings
 */
import { checkConnection, createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncSettingsInput } from '@invoiced/netsuite-sync';
import { createSandbox, currencyIdsOf, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

const sandbox = createSandbox({
  seed: 19,
  netsuite: {
    shape: {
      classes: [{ id: '1', name: 'Services' }],
      customFields: [
        { scriptId: 'custbody_region', label: 'Region', type: 'text', appliesTo: ['invoice', 'creditMemo'], mandatory: true },
        { scriptId: 'custbody_po', label: 'Customer PO', type: 'text', appliesTo: ['invoice', 'creditMemo'] },
      ],
      mandatory: { class: true },
    },
  },
});
const books = generateBooks({ seed: 19, customers: 5, invoices: 10, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } });
sandbox.load(books);
const servers = await sandbox.listen();
const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) });
const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl });

const base: SyncSettingsInput = {
  items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
  subsidiary: '1',
  currencies: Object.fromEntries(currencyIdsOf(books.netsuite)),
  // This example writes Invoiced records to NetSuite only.
  phases: { readNetSuiteInvoices: false, readNetSuiteCreditMemos: false, readNetSuitePayments: false, writeInvoicedRefunds: false },
  netsuiteFields: { invoice: { required: ['class'], fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }] } },
};
const mapped: SyncSettingsInput = {
  ...base,
  netsuiteFields: {
    invoice: { defaults: { class: { id: '1' }, custbody_region: 'EU' }, required: ['class'], fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }] },
    creditMemo: { defaults: { class: { id: '1' }, custbody_region: 'EU' } },
    customerPayment: { defaults: { class: { id: '1' } } },
  },
};

try {
  const before = await checkConnection({ netsuite, invoiced, settings: base });
  console.log(`check with the item settings only: ${before.settings}`);
  for (const problem of before.problems) console.log(`  ${problem.check}: [${problem.code}] ${problem.message}`);

  const after = await checkConnection({ netsuite, invoiced, settings: mapped });
  console.log(`check with the mappings: ${after.settings}`);

  const engine = createSyncEngine({ netsuite, invoiced, store: memoryStore(), connectionId: 'mapped', settings: mapped });
  const customer = sandbox.invoiced.state.insert('customers', { name: 'Mapped Customer Ltd', currency: 'usd' });
  const invoice = sandbox.invoiced.state.insert('invoices', {
    customer: customer.id,
    currency: 'usd',
    number: 'INV-MAPPED',
    draft: false,
    items: [{ name: 'Consulting', quantity: 1, unit_cost: 250 }],
    metadata: { po: 'PO-2026-117' },
  });
  const run = await engine.sync();
  const written = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
  for (const error of run.recordErrors) console.log(`  ${error.number ?? error.sourceId}: [${error.code}] ${error.message}`);
  console.log(`sync: ${run.status}; NetSuite invoice ${String(written?.id)}: class ${JSON.stringify(written?.class)}, region ${String(written?.custbody_region)}, PO ${String(written?.custbody_po)}`);
  if (before.settings !== 'refuted' || after.settings !== 'proved' || run.status !== 'succeeded' || written?.custbody_po !== 'PO-2026-117') process.exitCode = 1;
} finally {
  await servers.close();
}
