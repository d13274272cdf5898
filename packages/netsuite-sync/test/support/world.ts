/**
 * What the engine's end-to-end test files share: a sandbox loaded with generated books and served through
 * msw for the file's tests, a clock the tests move by hand, clients that sign with that clock (the
 * sandbox checks signature timestamps against it), and settings that fit the books.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { createSandbox, currencyIdsOf, generateBooks, type GenerateBooksOptions, type Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { createInvoicedClient, createNetSuiteClient, tokenBasedAuth, type SyncSettingsInput, type SyncStore } from '../../src/index';

/** Quick retries, so that injected faults cost milliseconds. */
const FAST_RETRIES = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

/** A sandbox world for one test file; call it at the top level (it registers the server's hooks). */
export function sandboxWorld(options: { seed: number; start: string; books: Omit<GenerateBooksOptions, 'seed'> }) {
  let now = new Date(options.start);
  const clock = () => now;
  const sandbox: Sandbox = createSandbox({ seed: options.seed, clock });
  const books = generateBooks({ seed: options.seed, ...options.books });
  sandbox.load(books);
  const server = setupServer(...sandbox.handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  const netsuite = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
    retries: FAST_RETRIES,
  });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: FAST_RETRIES });
  const settings = {
    cursorOverlapMs: 0,
    items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '' },
    currencies: Object.fromEntries(currencyIdsOf(books.netsuite)),
  } satisfies SyncSettingsInput;
  return {
    sandbox,
    books,
    clock,
    /** Moves the clock on (a minute by default), so that what changes next is after the last cursor. */
    later: (ms = 60_000) => {
      now = new Date(now.getTime() + ms);
    },
    netsuite,
    invoiced,
    settings,
  };
}

/** Records an Invoiced payment of `amount` applied in full to one invoice, as a person would. */
export function payInvoicedInvoice(
  sandbox: Sandbox,
  invoice: { id: number; customer: number; currency: string },
  amount: number,
  fields: { method?: string; reference?: string } = {},
) {
  return sandbox.invoiced.state.insert('payments', {
    customer: invoice.customer,
    amount,
    currency: invoice.currency,
    ...fields,
    applied_to: [{ type: 'invoice', invoice: invoice.id, amount }],
  });
}

/**
 * A new finalized Invoiced invoice of one line, for the first customer `store` links in `connectionId`
 * (a customer the first sync linked, so that flow 3 writes the invoice to NetSuite).
 */
export async function invoiceOfLinkedCustomer(
  sandbox: Sandbox,
  store: SyncStore,
  connectionId: string,
  number: string,
  amount: number,
): Promise<{ id: number; currency: string; customer: number }> {
  const customer = (await store.listLinks(connectionId, 'customer'))[0];
  const record = sandbox.invoiced.state.get('customers', Number(customer?.invoicedId));
  const invoice = sandbox.invoiced.state.insert('invoices', {
    customer: record?.id,
    currency: record?.currency ?? 'usd',
    number,
    draft: false,
    items: [{ name: 'Consulting', quantity: 1, unit_cost: amount }],
  });
  return { id: invoice.id, currency: invoice.currency, customer: invoice.customer };
}
