/**
 * The Invoiced client against the sandbox's independent model of Invoiced: real HTTP (msw in-process,
 * and loopback servers), real state, real idempotency replay, real concurrency limits and faults.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { createInvoicedClient, InvoicedDuplicateMatchError, InvoicedInvalidRequestError, InvoicedNotFoundError } from '../src/index';

let now = new Date('2026-11-20T10:00:00Z');
const sandbox = createSandbox({ seed: 11, clock: () => now });
const books = generateBooks({ seed: 11, customers: 30, invoices: 60, payments: 20, invoiced: { customers: 240, invoices: 40, payments: 10 } });
sandbox.load(books);

const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  sandbox.invoiced.faults.clear();
  sandbox.invoiced.clearRequests();
});
afterAll(() => server.close());

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const client = (options: { concurrency?: number; apiKey?: string } = {}) =>
  createInvoicedClient({ apiKey: options.apiKey ?? sandbox.invoiced.apiKey, sandbox: true, retries: fast, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });

describe('Invoiced client against the sandbox', () => {
  it('reads every customer exactly once by following Link headers page by page', async () => {
    const ids: number[] = [];
    for await (const customer of client().customers.list({ perPage: 100 })) ids.push(customer.id);
    expect(ids).toHaveLength(sandbox.invoiced.state.count('customers'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(sandbox.invoiced.requests.filter((entry) => entry.path === '/customers')).toHaveLength(Math.ceil(ids.length / 100));
  });

  it('creates a customer and an invoice, finds them by metadata.netsuite_id, and lists invoices changed strictly after a time', async () => {
    const invoiced = client();
    const customer = await invoiced.customers.create({ name: "O'Brien & Sons (sandbox)", currency: 'usd', metadata: { netsuite_id: '9001' } });
    await expect(invoiced.customers.findByNetsuiteId('9001')).resolves.toMatchObject({ id: customer.id });
    const before = Math.floor(now.getTime() / 1000);
    now = new Date(now.getTime() + 5000);
    const invoice = await invoiced.invoices.create({
      customer: customer.id,
      number: 'SBX-1',
      items: [{ name: 'Consulting', quantity: 3, unit_cost: 33.33 }],
      metadata: { netsuite_id: '555' },
    });
    expect(invoice.total).toBe(99.99);
    await expect(invoiced.invoices.findByNetsuiteId('555')).resolves.toMatchObject({ id: invoice.id, balance: 99.99 });
    const changed: number[] = [];
    for await (const item of invoiced.invoices.listNonDraftUpdatedAfter(before)) changed.push(item.id);
    expect(changed).toEqual([invoice.id]);
    const atTheSecond: number[] = [];
    for await (const item of invoiced.invoices.listNonDraftUpdatedAfter(invoice.updated_at ?? 0)) atTheSecond.push(item.id);
    expect(atTheSecond).toEqual([]);
  });

  it('applies a payment and sees the invoice balance and status follow', async () => {
    const invoiced = client();
    const customer = await invoiced.customers.create({ name: 'Balance Follows Ltd', currency: 'usd' });
    const invoice = await invoiced.invoices.create({ customer: customer.id, items: [{ name: 'Plan', quantity: 1, unit_cost: 100 }] });
    await invoiced.payments.create({ customer: customer.id, amount: 40, currency: 'usd', method: 'check', applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 40 }] });
    await expect(invoiced.invoices.retrieve(invoice.id)).resolves.toMatchObject({ balance: 60, paid: false });
    const rest = await invoiced.payments.create({ customer: customer.id, amount: 60, currency: 'usd', method: 'ach', applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 60 }] });
    await expect(invoiced.invoices.retrieve(invoice.id)).resolves.toMatchObject({ balance: 0, paid: true, status: 'paid' });
    await invoiced.payments.void(rest.id);
    await expect(invoiced.invoices.retrieve(invoice.id)).resolves.toMatchObject({ balance: 60, paid: false });
  });

  it('gets typed errors for what the model refuses', async () => {
    const invoiced = client();
    await expect(invoiced.invoices.retrieve(99_999_999)).rejects.toBeInstanceOf(InvoicedNotFoundError);
    const error = await invoiced.invoices.create({ customer: 99_999_999, items: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedInvalidRequestError);
    await expect(client({ apiKey: 'sandbox_wrong_key_0000' }).customers.retrieve(1)).rejects.toMatchObject({ name: 'InvoicedAuthenticationError', status: 401 });
  });

  it('retries a 429 and a 500 before any work with no duplicate', async () => {
    const invoiced = client();
    sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'rate_limit' }, { request: 2, fault: 'server_error' }], match: { methods: ['POST'] } });
    const before = sandbox.invoiced.state.count('customers');
    await invoiced.customers.create({ name: 'Retried Once Inc', currency: 'usd', metadata: { netsuite_id: 'r-1' } });
    expect(sandbox.invoiced.state.count('customers')).toBe(before + 1);
    expect(sandbox.invoiced.requests.map((entry) => entry.status)).toEqual([429, 500, 201]);
  });

  it('shows why the engine must look up before creating: a lost response and a retry with a new key make a duplicate that findByNetsuiteId reports', async () => {
    const invoiced = client();
    sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['POST'] } });
    await invoiced.customers.create({ name: 'Lost Response LLC', currency: 'usd', metadata: { netsuite_id: 'lost-1' } });
    await expect(invoiced.customers.findByNetsuiteId('lost-1')).rejects.toBeInstanceOf(InvoicedDuplicateMatchError);
  });

  it('stays under the 20-in-flight limit at its default concurrency, and recovers from 429s when set above it', async () => {
    const slow = createSandbox({ seed: 3, invoiced: { latencyMs: 15 } });
    const slowServer = setupServer(...slow.handlers);
    server.close();
    slowServer.listen({ onUnhandledFrame: 'error' });
    try {
      for (let index = 0; index < 5; index += 1) slow.invoiced.state.insert('customers', { name: `Customer ${index}`, currency: 'usd' });
      const polite = createInvoicedClient({ apiKey: slow.invoiced.apiKey, sandbox: true, retries: fast });
      await Promise.all(Array.from({ length: 60 }, (_, index) => polite.customers.retrieve((index % 5) + 1)));
      expect(slow.invoiced.stats.refused).toBe(0);
      expect(slow.invoiced.stats.peakInFlight).toBeLessThanOrEqual(10);
      const greedy = createInvoicedClient({ apiKey: slow.invoiced.apiKey, sandbox: true, concurrency: 20, retries: { retries: 8, minDelayMs: 5, maxDelayMs: 20 } });
      const greedyToo = createInvoicedClient({ apiKey: slow.invoiced.apiKey, sandbox: true, concurrency: 20, retries: { retries: 8, minDelayMs: 5, maxDelayMs: 20 } });
      const results = await Promise.all(Array.from({ length: 80 }, (_, index) => (index % 2 ? greedy : greedyToo).customers.retrieve((index % 5) + 1)));
      expect(results).toHaveLength(80);
      expect(slow.invoiced.stats.refused).toBeGreaterThan(0);
      expect(slow.invoiced.stats.peakInFlight).toBeLessThanOrEqual(20);
    } finally {
      slowServer.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
  });

  it('works the same over real HTTP on loopback', async () => {
    const servers = await sandbox.listen();
    server.close();
    try {
      const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl, retries: fast });
      const customer = await invoiced.customers.create({ name: 'Loopback GmbH', currency: 'eur' });
      await expect(invoiced.customers.retrieve(customer.id)).resolves.toMatchObject({ name: 'Loopback GmbH', currency: 'eur' });
    } finally {
      await servers.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
  });
});
