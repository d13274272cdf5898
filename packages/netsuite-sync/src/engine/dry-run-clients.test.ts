/**
 * The dry-run clients: every method of both clients is classified, a method they do not know is never
 * called, writes make no request and answer with plausible records, reads reach the service.
 */
import { describe, expect, it, vi } from 'vitest';
import { createInvoicedClient, type InvoicedClient } from '../invoiced/client';
import { InvoicedCustomerSchema, InvoicedInvoiceSchema, InvoicedPaymentSchema } from '../invoiced/schemas';
import { tokenBasedAuth } from '../netsuite/auth';
import { createNetSuiteClient, type NetSuiteClient } from '../netsuite/client';
import { sql } from '../netsuite/sql';
import {
  DRY_RUN_INVOICED_METHODS,
  DRY_RUN_NETSUITE_METHODS,
  DryRunUnsupportedError,
  dryRunInvoiced,
  dryRunNetSuite,
  INVOICED_PLACEHOLDER_FLOOR,
  isDryRunPlaceholder,
  type DryRunClientHooks,
  type DryRunRead,
  type PlannedWrite,
} from './dry-run-clients';

const CREDENTIALS = {
  consumerKey: 'ck0c5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
  consumerSecret: 'cs1d6f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6',
  tokenId: 'ti2e7a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7',
  tokenSecret: 'ts3f8b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708',
};

/** A `fetch` that answers every request with `answer(method, path)` and remembers what it was asked. */
function stubFetch(answer: (method: string, path: string) => { status?: number; body?: unknown; headers?: Record<string, string> } = () => ({ body: [] })) {
  const requests: string[] = [];
  const fetch = vi.fn((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    requests.push(`${method} ${url.pathname}`);
    const { status = 200, body, headers = {} } = answer(method, url.pathname);
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }));
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

function clients(answer?: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch(answer);
  const netsuite = createNetSuiteClient({ accountId: '1234567_SB1', auth: tokenBasedAuth(CREDENTIALS), retries: 0, fetch: stub.fetch });
  const invoiced = createInvoicedClient({ apiKey: 'sk_test_9Qm4Zt7Lp2Vx8Rb6Nc3Hd5Jf1Kg0Ws', retries: 0, fetch: stub.fetch });
  const writes: PlannedWrite[] = [];
  const reads: DryRunRead[] = [];
  const unsupported: DryRunUnsupportedError[] = [];
  const hooks: DryRunClientHooks = {
    onWrite: (write) => writes.push(write),
    onRead: (read) => reads.push(read),
    onUnsupported: (error) => unsupported.push(error),
    now: () => new Date('2026-11-24T10:00:00Z'),
  };
  return { netsuite, invoiced, requests: stub.requests, writes, reads, unsupported, hooks };
}

/** The paths of every function of an object, recursively (`records.get`). */
function methodPaths(target: object, prefix = ''): string[] {
  return Object.keys(target).flatMap((key) => {
    const value: unknown = (target as Record<string, unknown>)[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'function') return [path];
    return typeof value === 'object' && value !== null ? methodPaths(value, path) : [];
  });
}

describe('dry-run clients: classification', () => {
  it('classifies every method of the NetSuite client as a read or a write, and no method it does not have', () => {
    const { netsuite } = clients();
    expect(methodPaths(netsuite).sort()).toEqual(Object.keys(DRY_RUN_NETSUITE_METHODS).sort());
  });

  it('classifies every method of the Invoiced client as a read or a write, and no method it does not have', () => {
    const { invoiced } = clients();
    expect(methodPaths(invoiced).sort()).toEqual(Object.keys(DRY_RUN_INVOICED_METHODS).sort());
  });

  it('classifies every create, update, upsert, void and delete as a write', () => {
    for (const [path, kind] of [...Object.entries(DRY_RUN_NETSUITE_METHODS), ...Object.entries(DRY_RUN_INVOICED_METHODS)]) {
      if (/\.(create|update|upsert|void|delete)$/.test(path)) expect(kind, path).toBe('write');
    }
  });

  it('never calls a method it does not know, on any object of either client, and says so', () => {
    const base = clients();
    const merge = vi.fn(() => Promise.resolve({ id: 1 }));
    const transform = vi.fn(() => Promise.resolve({ id: '1' }));
    const estimatesCreate = vi.fn(() => Promise.resolve({ id: 1 }));
    const invoicedWithMore = { ...base.invoiced, invoices: { ...base.invoiced.invoices, merge }, estimates: { create: estimatesCreate } } as InvoicedClient;
    const netsuiteWithMore = { ...base.netsuite, records: { ...base.netsuite.records, transform } } as NetSuiteClient;
    const invoiced = dryRunInvoiced(invoicedWithMore, base.hooks) as InvoicedClient & { invoices: { merge: typeof merge }; estimates: { create: typeof estimatesCreate } };
    const netsuite = dryRunNetSuite(netsuiteWithMore, base.hooks) as NetSuiteClient & { records: { transform: typeof transform } };

    expect(() => invoiced.invoices.merge()).toThrow(DryRunUnsupportedError);
    expect(() => invoiced.estimates.create()).toThrow(expect.objectContaining({ code: 'DRY_RUN_UNSUPPORTED', service: 'invoiced', method: 'estimates.create' }));
    expect(() => netsuite.records.transform()).toThrow(expect.objectContaining({ service: 'netsuite', method: 'records.transform' }));
    expect(merge).not.toHaveBeenCalled();
    expect(estimatesCreate).not.toHaveBeenCalled();
    expect(transform).not.toHaveBeenCalled();
    expect(base.unsupported.map((error) => error.method)).toEqual(['invoices.merge', 'estimates.create', 'records.transform']);
    expect(base.requests).toEqual([]);
  });

  it('tells placeholders from real IDs', () => {
    expect(isDryRunPlaceholder('invoiced', INVOICED_PLACEHOLDER_FLOOR + 1)).toBe(true);
    expect(isDryRunPlaceholder('invoiced', '15444')).toBe(false);
    expect(isDryRunPlaceholder('netsuite', 'planned-3')).toBe(true);
    expect(isDryRunPlaceholder('netsuite', '1001')).toBe(false);
  });
});

describe('dry-run clients: Invoiced', () => {
  it('makes no request for a write, and answers with a record that has the fields written and a placeholder ID', async () => {
    const { invoiced, hooks, requests, writes } = clients();
    const client = dryRunInvoiced(invoiced, hooks);
    const customer = await client.customers.create({ name: 'Acme', number: 'C-1', type: 'company', currency: 'USD', metadata: { netsuite_id: '4711' } });
    expect(InvoicedCustomerSchema.safeParse(customer).success).toBe(true);
    expect(customer).toMatchObject({ id: INVOICED_PLACEHOLDER_FLOOR + 1, name: 'Acme', number: 'C-1', currency: 'usd', metadata: { netsuite_id: '4711' } });

    const invoice = await client.invoices.create({
      customer: customer.id,
      number: 'INV-1',
      currency: 'usd',
      date: 1_790_000_000,
      items: [{ name: 'Audit', quantity: 2, unit_cost: 150.5 }, { name: 'Travel', quantity: 1, unit_cost: 99 }],
      metadata: { netsuite_id: '100001' },
    });
    expect(InvoicedInvoiceSchema.safeParse(invoice).success).toBe(true);
    expect(invoice).toMatchObject({ id: INVOICED_PLACEHOLDER_FLOOR + 2, customer: customer.id, number: 'INV-1', total: 400, balance: 400, draft: false });

    const payment = await client.payments.create({ customer: customer.id, amount: 500, currency: 'usd', reference: 'NS-PAY-9', applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 400 }] });
    expect(InvoicedPaymentSchema.safeParse(payment).success).toBe(true);
    expect(payment).toMatchObject({ reference: 'NS-PAY-9', amount: 500, balance: 100, voided: false });

    const updated = await client.invoices.update(15444, { notes: 'changed', due_date: 1_790_086_400 });
    expect(updated).toMatchObject({ id: 15444, notes: 'changed', due_date: 1_790_086_400 });
    expect((await client.invoices.void(15445)).status).toBe('voided');
    expect((await client.payments.void(payment.id)).voided).toBe(true);

    expect(requests).toEqual([]);
    expect(writes.map((write) => [write.method, write.operation, write.id, write.placeholder])).toEqual([
      ['customers.create', 'create', String(INVOICED_PLACEHOLDER_FLOOR + 1), true],
      ['invoices.create', 'create', String(INVOICED_PLACEHOLDER_FLOOR + 2), true],
      ['payments.create', 'create', String(INVOICED_PLACEHOLDER_FLOOR + 3), true],
      ['invoices.update', 'update', '15444', false],
      ['invoices.void', 'void', '15445', false],
      ['payments.void', 'void', String(INVOICED_PLACEHOLDER_FLOOR + 3), true],
    ]);
    expect(writes[0]?.body).toEqual({ name: 'Acme', number: 'C-1', type: 'company', currency: 'USD', metadata: { netsuite_id: '4711' } });
  });

  it('answers a read of a record it planned from the plan, and sends reads of real records to Invoiced', async () => {
    const { invoiced, hooks, requests, reads } = clients((_method, path) => ({
      body: path === '/invoices/15444' ? { ...invoiceJson(15444), number: 'INV-REAL' } : [invoiceJson(1), invoiceJson(2)],
    }));
    const client = dryRunInvoiced(invoiced, hooks);
    const planned = await client.invoices.create({ customer: 7, items: [{ name: 'Audit', quantity: 1, unit_cost: 10 }] });
    await client.invoices.update(planned.id, { notes: 'then changed' });
    expect(await client.invoices.retrieve(planned.id)).toMatchObject({ id: planned.id, customer: 7, notes: 'then changed', total: 10 });
    expect(requests).toEqual([]);

    expect((await client.invoices.retrieve(15444)).number).toBe('INV-REAL');
    const listed = await client.invoices.listNonDraftUpdatedAfter(0).toArray();
    expect(listed.map((invoice) => invoice.id)).toEqual([1, 2]);
    expect(requests).toEqual(['GET /invoices/15444', 'GET /invoices']);
    expect(reads.map((read) => (read.service === 'invoiced' ? `${read.resource}:${read.record.id}` : 'row'))).toEqual(['invoices:15444', 'invoices:1', 'invoices:2']);
  });

  it('refuses a body the client would refuse, without planning it', async () => {
    const { invoiced, hooks, requests, writes } = clients();
    const client = dryRunInvoiced(invoiced, hooks);
    const metadata = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key${index}`, 'value']));
    await expect(client.customers.create({ name: 'Acme', metadata })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(client.invoices.update(-5, { notes: 'x' })).rejects.toThrow(/positive integer/);
    expect(writes).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('plans DELETE /payments/{id} as the void it is on Invoiced, answered with the voided payment', async () => {
    const { invoiced, hooks, requests, writes } = clients(() => ({ body: {} }));
    const client = dryRunInvoiced(invoiced, hooks);
    const answer = await client.request('DELETE', '/payments/61');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 61, voided: true });
    expect(requests).toEqual([]);
    expect(writes.map((write) => [write.operation, write.resource, write.id])).toEqual([['void', '/payments/61', '61']]);
  });

  it('sends GET requests, and answers other requests without sending them', async () => {
    const { invoiced, hooks, requests, writes } = clients(() => ({ body: { balance: 12 } }));
    const client = dryRunInvoiced(invoiced, hooks);
    expect((await client.request('GET', '/customers/15444/balance')).body).toEqual({ balance: 12 });
    const created = await client.request('POST', '/estimates', { body: { customer: 15444 } });
    expect(created.body).toEqual({ customer: 15444, id: INVOICED_PLACEHOLDER_FLOOR + 1 });
    expect((await client.request('DELETE', '/estimates/3')).status).toBe(204);
    await client.request('POST', '/invoices/15444/void');
    expect(requests).toEqual(['GET /customers/15444/balance']);
    expect(writes.map((write) => [write.operation, write.resource, write.id])).toEqual([
      ['create', '/estimates', String(INVOICED_PLACEHOLDER_FLOOR + 1)],
      ['delete', '/estimates/3', '3'],
      ['void', '/invoices/15444/void', '15444'],
    ]);
  });
});

describe('dry-run clients: NetSuite', () => {
  const suiteqlAnswer = () => ({ body: { items: [{ id: '100001', tranid: 'INV-1', links: [] }], hasMore: false, count: 1, offset: 0, totalResults: 1 } });

  it('sends SuiteQL (a POST that only reads) and reports its rows', async () => {
    const { netsuite, hooks, requests, reads, writes } = clients(suiteqlAnswer);
    const client = dryRunNetSuite(netsuite, hooks);
    const rows = [];
    for await (const row of client.suiteqlAll(sql`SELECT id, tranid FROM transaction`)) rows.push(row);
    const page = await client.suiteql('SELECT id, tranid FROM transaction');
    await client.request('POST', '/services/rest/query/v1/suiteql', { body: { q: 'SELECT id FROM customer' }, headers: { Prefer: 'transient' } });
    expect(rows).toEqual([{ id: '100001', tranid: 'INV-1' }]);
    expect(page.items).toEqual(rows);
    expect(requests).toEqual(Array.from({ length: 3 }, () => 'POST /services/rest/query/v1/suiteql'));
    expect(reads).toEqual([
      { service: 'netsuite', row: { id: '100001', tranid: 'INV-1' } },
      { service: 'netsuite', row: { id: '100001', tranid: 'INV-1' } },
    ]);
    expect(writes).toEqual([]);
  });

  it('makes no request for a record write, gives a record it would create a placeholder, and upserts onto a known record', async () => {
    const { netsuite, hooks, requests, writes } = clients();
    const existing = vi.fn((_type: string, externalId: string) => Promise.resolve(externalId === 'invd-inv-7' ? '100099' : undefined));
    const client = dryRunNetSuite(netsuite, { ...hooks, existingNetSuiteId: existing });
    const customer = await client.records.upsert('customer', 'invd-cust-3', { companyName: 'Acme', subsidiary: { id: '1' } });
    const invoice = await client.records.upsert('invoice', 'invd-inv-7', { entity: { id: customer.id } });
    const again = await client.records.upsert('customer', 'invd-cust-3', { companyName: 'Acme Inc' });
    const created = await client.records.create('customerPayment', { customer: { id: customer.id }, payment: 10 });
    await client.records.update('invoice', '100099', { memo: 'x' });
    await client.records.delete('customerPayment', '100120');
    expect(customer).toEqual({ id: 'planned-1', location: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/planned-1' });
    expect(invoice.id).toBe('100099');
    expect(again.id).toBe('planned-1');
    expect(created.id).toBe('planned-2');
    expect(await client.records.get('customer', 'planned-1')).toMatchObject({ id: 'planned-1', companyName: 'Acme Inc', externalId: 'invd-cust-3' });
    expect(requests).toEqual([]);
    expect(existing).toHaveBeenCalledTimes(2);
    expect(writes.map((write) => [write.method, write.operation, write.resource, write.id, write.placeholder])).toEqual([
      ['records.upsert', 'create', 'customer', 'planned-1', true],
      ['records.upsert', 'update', 'invoice', '100099', false],
      ['records.upsert', 'update', 'customer', 'planned-1', true],
      ['records.create', 'create', 'customerPayment', 'planned-2', true],
      ['records.update', 'update', 'invoice', '100099', false],
      ['records.delete', 'delete', 'customerPayment', '100120', false],
    ]);
  });

  it('plans DELETE /payments/{id} as the void it is on Invoiced, answered with the voided payment', async () => {
    const { invoiced, hooks, requests, writes } = clients(() => ({ body: {} }));
    const client = dryRunInvoiced(invoiced, hooks);
    const answer = await client.request('DELETE', '/payments/61');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 61, voided: true });
    expect(requests).toEqual([]);
    expect(writes.map((write) => [write.operation, write.resource, write.id])).toEqual([['void', '/payments/61', '61']]);
  });

  it('sends GET requests, and answers other requests without sending them', async () => {
    const { netsuite, hooks, requests, writes } = clients(() => ({ body: { id: '7', companyName: 'Acme' } }));
    const client = dryRunNetSuite(netsuite, hooks);
    expect((await client.records.get('customer', '7')).companyName).toBe('Acme');
    const posted = await client.request('POST', '/services/rest/record/v1/vendor', { body: { companyName: 'Supplier' } });
    await client.request('PATCH', '/services/rest/record/v1/vendor/12', { body: { companyName: 'Supplier 2' } });
    expect(posted).toMatchObject({ status: 204, id: 'planned-1' });
    expect(requests).toEqual(['GET /services/rest/record/v1/customer/7']);
    expect(writes.map((write) => [write.operation, write.id])).toEqual([
      ['create', 'planned-1'],
      ['update', '12'],
    ]);
  });
});

function invoiceJson(id: number): Record<string, unknown> {
  return {
    id,
    object: 'invoice',
    customer: 7,
    number: `INV-${id}`,
    currency: 'usd',
    draft: false,
    closed: false,
    paid: false,
    status: 'not_sent',
    date: 1_790_000_000,
    items: [],
    total: 0,
    balance: 0,
    created_at: 1_790_000_000,
    metadata: {},
  };
}
