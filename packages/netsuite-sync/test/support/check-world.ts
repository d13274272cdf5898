/**
 * What the connection check's tests against the sandbox share: a sandbox (with an account shape, when
 * given) loaded with small books and served through msw, clients with quick retries, settings every proof
 * accepts, and `check(settings)`. The caller closes the returned `server` after each test.
 */
import { setupServer } from 'msw/node';
import { createSandbox, generateBooks, type NetSuiteAccountShape } from '@invoiced/netsuite-sync-sandbox';
import { checkConnection, createInvoicedClient, createNetSuiteClient, tokenBasedAuth, type SyncSettingsInput } from '../../src/index';

const FAST = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

/** A sandbox world for one check test; `shape` gives the NetSuite account its own fields and lists. */
export function checkWorld(options: { shape?: NetSuiteAccountShape } = {}) {
  const sandbox = createSandbox({ seed: 8, ...(options.shape === undefined ? {} : { netsuite: { shape: options.shape } }) });
  const books = generateBooks({ seed: 8, currencies: ['USD', 'EUR'], customers: 4, invoices: 6, payments: 0, creditMemos: 0, invoiced: { customers: 3, invoices: 6, payments: 0, draftRatio: 0 } });
  sandbox.load(books);
  const server = setupServer(...sandbox.handlers);
  const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), retries: FAST });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: FAST });
  const item = (kind: string) => books.netsuite.items.find((entry) => entry.kind === kind)?.id ?? '';
  const account = (kind: string) => books.netsuite.accounts.find((entry) => entry.kind === kind)?.id ?? '';
  const good = {
    items: { defaultItem: item('service'), taxItem: item('tax'), discountItem: item('discount') },
    subsidiary: books.netsuite.subsidiaries[0]?.id,
    paymentAccounts: [{ currency: '*', method: '*', account: account('bank') }],
  } satisfies SyncSettingsInput;
  const check = (settings: SyncSettingsInput) => checkConnection({ netsuite, invoiced, settings });
  return { sandbox, books, server, good, item, account, check };
}
