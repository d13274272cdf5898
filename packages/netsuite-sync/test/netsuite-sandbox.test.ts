/**
 * The NetSuite client against the sandbox's independent model of NetSuite: its own OAuth 1.0a verifier,
 * REST record semantics, SuiteQL on SQLite, the account's concurrency limit and seeded faults.
 */
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import {
  createNetSuiteClient,
  NetSuiteAuthenticationError,
  NetSuiteConnectionError,
  NetSuiteInvalidRequestError,
  oauthClientCredentials,
  sql,
  tokenBasedAuth,
  type NetSuiteClientOptions,
} from '../src/index';

const sandbox = createSandbox({ seed: 21 });
const books = generateBooks({ seed: 21, customers: 40, invoices: 180, payments: 60, creditMemos: 5 });
sandbox.load(books);
const serviceItem = books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '';
const subsidiary = books.netsuite.subsidiaries[0]?.id ?? '';

const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  sandbox.netsuite.faults.clear();
  sandbox.netsuite.clearRequests();
});
afterAll(() => server.close());

const fast = { retries: 4, minDelayMs: 1, maxDelayMs: 5 };
const client = (options: Partial<NetSuiteClientOptions> = {}) =>
  createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), retries: fast, ...options });

const invoiceBody = (entity: string, rate: number) => ({ entity: { id: entity }, item: { items: [{ item: { id: serviceItem }, quantity: 2, rate }] } });

describe('NetSuite client against the sandbox', () => {
  it("is accepted by the sandbox's own signature check, and its schemas accept the model's records", async () => {
    const netsuite = client();
    const customer = books.netsuite.customers[0];
    const invoice = books.netsuite.invoices[0];
    await expect(netsuite.records.get('customer', customer?.id ?? '')).resolves.toMatchObject({ id: customer?.id });
    const record = await netsuite.records.get('invoice', invoice?.id ?? '', { expandSubResources: true });
    expect(record.tranId).toBe(invoice?.tranId);
    expect(record.item?.items?.length).toBe(invoice?.lines.length);
    expect(sandbox.netsuite.state.authFailures()).toEqual([]);
  });

  it('is refused with INVALID_LOGIN for a wrong token secret or a wrong account, and the sandbox says why', async () => {
    const wrongSecret = createNetSuiteClient({
      accountId: sandbox.netsuite.accountId,
      auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, tokenSecret: 'f'.repeat(64) }),
      retries: fast,
    });
    await expect(wrongSecret.records.get('customer', books.netsuite.customers[0]?.id ?? '')).rejects.toBeInstanceOf(NetSuiteAuthenticationError);
    const wrongAccount = client({ accountId: '7654321_SB1', baseUrl: sandbox.netsuite.baseUrl });
    const error = await wrongAccount.suiteql('SELECT id FROM customer').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN', status: 401 });
    expect(sandbox.netsuite.state.authFailures().length).toBeGreaterThanOrEqual(2);
    expect(sandbox.netsuite.requests.filter((entry) => entry.status === 401)).toHaveLength(2);
  });

  it('creates, reads, updates, upserts by external ID and deletes records', async () => {
    const netsuite = client();
    const { id } = await netsuite.records.create('customer', { companyName: "Sandbox O'Brien & Co", subsidiary: { id: subsidiary } });
    await netsuite.records.update('customer', id, { email: 'ar@obrien.test' });
    await expect(netsuite.records.get('customer', id)).resolves.toMatchObject({ companyName: "Sandbox O'Brien & Co", email: 'ar@obrien.test' });
    await netsuite.records.upsert('invoice', 'invd-inv-sbx-1', invoiceBody(id, 10));
    // On a record that exists, an upsert is an update: item lines are added unless the sublist is replaced.
    await netsuite.records.upsert('invoice', 'invd-inv-sbx-1', invoiceBody(id, 12.5), { replace: ['item'] });
    const upserted = sandbox.netsuite.state.findByExternalId('invoice', 'invd-inv-sbx-1');
    expect(upserted).toMatchObject({ total: 25 });
    await netsuite.records.delete('invoice', String(upserted?.id));
    expect(sandbox.netsuite.state.findByExternalId('invoice', 'invd-inv-sbx-1')).toBeUndefined();
  });

  it('pages a record collection with limit and offset and gets every ID once', async () => {
    const ids: string[] = [];
    for await (const { id } of client().records.list('customer', { pageSize: 7 })) ids.push(id);
    expect(ids).toHaveLength(sandbox.netsuite.state.count('customer'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gets NetSuite's validation errors as typed errors naming the field", async () => {
    const error = await client()
      .records.create('invoice', { entity: { id: books.netsuite.customers[0]?.id } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetSuiteInvalidRequestError);
    expect((error as NetSuiteInvalidRequestError).details.length).toBeGreaterThan(0);
  });

  it('finds a customer with a hostile name through the sql tag, and streams every transaction with suiteqlAll', async () => {
    const netsuite = client();
    const hostile = books.netsuite.customers.find((customer) => customer.companyName?.includes("'"));
    expect(hostile).toBeDefined();
    const page = await netsuite.suiteql(sql`SELECT id, companyname FROM customer WHERE companyname = ${hostile?.companyName ?? ''}`);
    expect(page.items.map((row) => String(row.id))).toContain(hostile?.id);
    const rows: unknown[] = [];
    for await (const row of netsuite.suiteqlAll("SELECT id, tranid, type FROM transaction WHERE type IN ('CustInvc', 'CustPymt', 'CustCred')", { pageSize: 50 })) rows.push(row.id);
    const { state } = sandbox.netsuite;
    expect(rows).toHaveLength(state.count('invoice') + state.count('customerPayment') + state.count('creditMemo'));
    expect(rows.length).toBeGreaterThan(200);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('stays under the account concurrency limit at 5, and recovers from 429s when set above it', async () => {
    const slow = createSandbox({ seed: 5, netsuite: { latencyMs: 10 } });
    slow.load(generateBooks({ seed: 5, customers: 5, invoices: 5, payments: 0, creditMemos: 0 }));
    server.close();
    const slowServer = setupServer(...slow.handlers);
    slowServer.listen({ onUnhandledFrame: 'error' });
    try {
      const auth = tokenBasedAuth(slow.netsuite.credentials);
      const id = slow.netsuite.state.list('customer')[0]?.id;
      const polite = createNetSuiteClient({ accountId: slow.netsuite.accountId, auth, retries: fast });
      await Promise.all(Array.from({ length: 30 }, () => polite.records.get('customer', String(id))));
      expect(slow.netsuite.stats).toMatchObject({ refused: 0, peakInFlight: 5 });
      const greedy = createNetSuiteClient({ accountId: slow.netsuite.accountId, auth, concurrency: 12, retries: { retries: 10, minDelayMs: 5, maxDelayMs: 30 } });
      await expect(Promise.all(Array.from({ length: 36 }, () => greedy.records.get('customer', String(id))))).resolves.toHaveLength(36);
      expect(slow.netsuite.stats.refused).toBeGreaterThan(0);
    } finally {
      slowServer.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
  });

  it('retries an upsert whose response was lost without duplicating it, and never repeats a plain create', async () => {
    const netsuite = client();
    const entity = books.netsuite.customers[1]?.id ?? '';
    sandbox.netsuite.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['PUT'] } });
    await netsuite.records.upsert('invoice', 'invd-inv-lost-1', invoiceBody(entity, 7));
    expect(sandbox.netsuite.state.list('invoice').filter((record) => record.externalId === 'invd-inv-lost-1')).toHaveLength(1);

    sandbox.netsuite.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['POST'], pathIncludes: '/record/' } });
    const before = sandbox.netsuite.state.count('customer');
    await expect(netsuite.records.create('customer', { companyName: 'Lost Create Ltd', subsidiary: { id: subsidiary } })).rejects.toBeInstanceOf(NetSuiteConnectionError);
    expect(sandbox.netsuite.state.count('customer')).toBe(before + 1);
    expect(sandbox.netsuite.requests.filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  it('signs for the loopback host when run against real servers', async () => {
    const servers = await sandbox.listen();
    server.close();
    try {
      const netsuite = client({ baseUrl: servers.netsuiteUrl });
      const page = await netsuite.suiteql('SELECT COUNT(*) AS n FROM customer', { limit: 1 });
      expect(Number(page.items[0]?.n)).toBe(sandbox.netsuite.state.count('customer'));
    } finally {
      await servers.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
  });

  it('authenticates with OAuth 2.0 client credentials verified against the certificate key', async () => {
    const pair = await generateKeyPair('PS256', { extractable: true });
    const m2m = createSandbox({
      seed: 8,
      netsuite: { oauth2: { clientId: 'client-sbx', certificateId: 'cert-sbx', publicKey: await exportSPKI(pair.publicKey) } },
    });
    m2m.load(generateBooks({ seed: 8, customers: 3, invoices: 3, payments: 0, creditMemos: 0 }));
    server.close();
    const m2mServer = setupServer(...m2m.handlers);
    m2mServer.listen({ onUnhandledFrame: 'error' });
    try {
      const netsuite = createNetSuiteClient({
        accountId: m2m.netsuite.accountId,
        auth: oauthClientCredentials({ clientId: 'client-sbx', certificateId: 'cert-sbx', privateKey: await exportPKCS8(pair.privateKey) }),
        retries: fast,
      });
      const page = await netsuite.suiteql('SELECT id FROM customer');
      expect(page.items).toHaveLength(3);
      const wrongCertificate = createNetSuiteClient({
        accountId: m2m.netsuite.accountId,
        auth: oauthClientCredentials({ clientId: 'client-sbx', certificateId: 'another-cert', privateKey: await exportPKCS8(pair.privateKey) }),
        retries: fast,
      });
      await expect(wrongCertificate.suiteql('SELECT id FROM customer')).rejects.toBeInstanceOf(NetSuiteAuthenticationError);
    } finally {
      m2mServer.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
  });
});
