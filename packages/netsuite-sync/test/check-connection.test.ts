/**
 * The connection check's diagnoses, against the sandbox over msw: a healthy connection, refused NetSuite
 * credentials, a wrong account ID (wrong realm), OAuth 2.0 refused, NetSuite and Invoiced down or
 * unreachable, an Invoiced key of the other environment, missing role permissions (NetSuite answers that
 * the sandbox does not model, served by msw handlers in front of it), and invalid settings. No message
 * ever holds a secret.
 */
import { exportPKCS8, generateKeyPair } from 'jose';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks, type Sandbox, type SandboxOptions } from '@invoiced/netsuite-sync-sandbox';
import {
  checkConnection,
  createInvoicedClient,
  createNetSuiteClient,
  oauthClientCredentials,
  tokenBasedAuth,
  type ConnectionCheckResult,
  type InvoicedClientOptions,
  type NetSuiteClientOptions,
  type SyncSettingsInput,
} from '../src/index';

const FAST = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const NETSUITE_CHECKS = ['credentials', 'suiteql', 'transactions', 'deleted records', 'record service'];
/** The checks that prove the settings against the account (their own tests: check-settings-proof.test.ts). */
const PROOF_CHECKS = ['items', 'currencies', 'subsidiary', 'payment accounts', 'refund account', 'field mappings', 'time zone', 'write permissions'];
/** SuiteQL reads of the proof for the world's settings: items, currency table, open invoices' currencies, subsidiary, mandatory custom fields, clock. */
const PROOF_REQUESTS = 6;
const INVOICED_CHECKS = ['credentials', 'customers', 'invoices', 'payments'];

let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A sandbox with a few records, served by msw, counting the requests each host receives. */
function world(options: SandboxOptions = {}, extra: Sandbox[] = []) {
  const sandbox = createSandbox({ seed: 5, ...options });
  const books = generateBooks({ seed: 5, customers: 4, invoices: 6, payments: 2, creditMemos: 0, invoiced: { customers: 2, invoices: 2, payments: 1 } });
  sandbox.load(books);
  const hosts: string[] = [];
  server = setupServer(...sandbox.handlers, ...extra.flatMap((other) => other.handlers));
  server.events.on('request:start', ({ request }) => hosts.push(new URL(request.url).host));
  server.listen({ onUnhandledFrame: 'error' });
  const secretsOf = ({ netsuite: { credentials: c }, invoiced: { apiKey } }: Sandbox) => [c.consumerKey, c.consumerSecret, c.tokenId, c.tokenSecret, apiKey];
  const secrets = [sandbox, ...extra].flatMap(secretsOf);
  const netsuite = (overrides: Partial<NetSuiteClientOptions> = {}) =>
    createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), retries: FAST, ...overrides });
  const invoiced = (overrides: Partial<InvoicedClientOptions> = {}) =>
    createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: FAST, ...overrides });
  const settings = {
    items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
    subsidiary: books.netsuite.subsidiaries[0]?.id,
  } satisfies SyncSettingsInput;
  const requests = () => ({
    netsuite: hosts.filter((host) => host.endsWith('.suitetalk.api.netsuite.com')).length,
    invoiced: hosts.filter((host) => host.endsWith('invoiced.com')).length,
  });
  return { sandbox, netsuite, invoiced, settings, secrets, requests };
}

/** Checks by side, as `{ name: ok }`. */
function outcome(result: ConnectionCheckResult, side: 'netsuite' | 'invoiced'): Record<string, boolean> {
  return Object.fromEntries(
    result.checks.filter((check) => check.side === side && check.name !== 'settings' && !PROOF_CHECKS.includes(check.name)).map((check) => [check.name, check.ok]),
  );
}

const allOk = (names: string[]) => Object.fromEntries(names.map((name) => [name, true]));
const noneOk = (names: string[]) => Object.fromEntries(names.map((name) => [name, false]));

/** No secret, nor a long piece of one, anywhere in the result. */
function expectNoSecret(result: ConnectionCheckResult, secrets: readonly string[]): void {
  const text = JSON.stringify(result);
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 12));
    expect(text).not.toContain(Buffer.from(`${secret}:`).toString('base64').slice(0, 16));
  }
}

/** Every problem has a code, a message and a resolution, and says what failed once. */
function expectWellFormed(result: ConnectionCheckResult): void {
  expect(result.ok).toBe(result.problems.length === 0);
  for (const problem of result.problems) {
    expect(problem.code).toMatch(/^[A-Za-z][A-Za-z0-9_]+$/);
    expect(problem.message.length).toBeGreaterThan(10);
    expect(problem.resolution.length).toBeGreaterThan(20);
    expect(result.checks.find((check) => check.side === problem.side && check.name === problem.check)?.ok).toBe(false);
  }
}

/** A NetSuite error body as NetSuite sends it. */
function netsuiteError(status: number, code: string, detail: string) {
  return HttpResponse.json(
    { type: 'https://www.rfc-editor.org/rfc/rfc9110.html', title: status === 403 ? 'Forbidden' : 'Bad Request', status, 'o:errorDetails': [{ detail, 'o:errorCode': code }] },
    { status, headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error' } },
  );
}

/** In front of the sandbox: SuiteQL queries on `table` are refused the way NetSuite refuses a role that cannot see it. */
function suiteqlRefuses(sandbox: Sandbox, table: string) {
  return http.post(`${sandbox.netsuite.baseUrl}/services/rest/query/v1/suiteql`, async ({ request }) => {
    const body = (await request.clone().json()) as { q?: string };
    if (!new RegExp(`\\bFROM\\s+${table}\\b`, 'i').test(body.q ?? '')) return undefined;
    return netsuiteError(400, 'INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. Search error occurred: Record '${table}' was not found.`);
  });
}

describe('checkConnection', () => {
  it('passes a healthy connection with read requests only: 4 + the proof to NetSuite, 3 to Invoiced', async () => {
    const w = world();
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.map((check) => `${check.side}:${check.name}`)).toEqual([
      'netsuite:settings',
      ...NETSUITE_CHECKS.map((name) => `netsuite:${name}`),
      ...PROOF_CHECKS.map((name) => `netsuite:${name}`),
      ...INVOICED_CHECKS.map((name) => `invoiced:${name}`),
    ]);
    expect(result.checks.every((check) => check.ok && check.detail.length > 0)).toBe(true);
    expect(result.checks.find((check) => check.side === 'netsuite' && check.name === 'credentials')?.detail).toContain('1234567_SB1');
    expect(w.requests()).toEqual({ netsuite: 4 + PROOF_REQUESTS, invoiced: 3 });
    // Reads only: one record for access, one page of 100 Invoiced customers and invoices sampled.
    expect(w.sandbox.netsuite.requests.map((request) => `${request.method} ${request.path}`).toSorted()).toEqual([
      'GET /services/rest/record/v1/customer',
      ...Array.from({ length: 3 + PROOF_REQUESTS }, () => 'POST /services/rest/query/v1/suiteql'),
    ]);
    expect(w.sandbox.invoiced.requests.map((request) => `${request.method} ${request.path} ${request.query.per_page}`).toSorted()).toEqual([
      'GET /customers 100',
      'GET /invoices 100',
      'GET /payments 1',
    ]);
    expectNoSecret(result, w.secrets);
  });

  it('skips the deleted-records read when the settings turn that phase off', async () => {
    const w = world();
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: { ...w.settings, phases: { followNetSuiteDeletions: false } } });
    expect(result.ok).toBe(true);
    expect(result.checks.find((check) => check.name === 'deleted records')).toMatchObject({ ok: true, detail: expect.stringContaining('followNetSuiteDeletions is off') as string });
    expect(w.requests()).toEqual({ netsuite: 3 + PROOF_REQUESTS, invoiced: 3 });
  });

  it('diagnoses refused NetSuite credentials with the setup steps, after one request, and still checks Invoiced', async () => {
    const w = world();
    const wrong = { ...w.sandbox.netsuite.credentials, tokenSecret: 'f0'.repeat(32) };
    const result = await checkConnection({ netsuite: w.netsuite({ auth: tokenBasedAuth(wrong) }), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'netsuite',
        check: 'credentials',
        code: 'INVALID_LOGIN',
        message: 'NetSuite account 1234567_SB1 refused the credentials (INVALID_LOGIN).',
        resolution: expect.stringContaining('Token-Based Authentication') as string,
      },
    ]);
    const resolution = result.problems[0]?.resolution ?? '';
    for (const step of ['Setup > Integration > Manage Integrations', 'Setup > Users/Roles > Access Tokens', 'Log in using Access Tokens', 'View Login Audit Trail']) {
      expect(resolution).toContain(step);
    }
    expect(outcome(result, 'netsuite')).toEqual(noneOk(NETSUITE_CHECKS));
    expect(result.checks.find((check) => check.name === 'suiteql')?.detail).toBe('Not checked: the credentials were refused.');
    expect(outcome(result, 'invoiced')).toEqual(allOk(INVOICED_CHECKS));
    expect(w.requests()).toEqual({ netsuite: 1, invoiced: 3 });
    expect(w.sandbox.netsuite.state.authFailures().map((failure) => failure.reason)).toEqual(['bad signature']);
    expectNoSecret(result, [...w.secrets, wrong.tokenSecret]);
  });

  it('diagnoses a wrong account ID: NetSuite refuses the realm, and the fix starts with the account ID', async () => {
    const w = world();
    const result = await checkConnection({ netsuite: w.netsuite({ accountId: '7654321', baseUrl: w.sandbox.netsuite.baseUrl }), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(w.sandbox.netsuite.state.authFailures().map((failure) => failure.reason)).toEqual(['wrong realm']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ side: 'netsuite', check: 'credentials', code: 'INVALID_LOGIN', message: expect.stringContaining('7654321') as string });
    expect(result.problems[0]?.resolution).toMatch(/^Check, in this order: \(1\) the account ID: 7654321 must be the account the token was created in \(Setup > Company > Company Information/);
    expectNoSecret(result, w.secrets);
  });

  it('diagnoses OAuth 2.0 client credentials the token endpoint refuses, with the M2M setup to check', async () => {
    // The certificate registered in NetSuite is not the one whose key signs the assertions.
    const registered = await generateKeyPair('PS256', { extractable: true });
    const used = await generateKeyPair('PS256', { extractable: true });
    const w = world({ netsuite: { oauth2: { clientId: 'client-1', certificateId: 'cert-1', publicKey: registered.publicKey } } });
    const privateKey = await exportPKCS8(used.privateKey);
    const result = await checkConnection({
      netsuite: w.netsuite({ auth: oauthClientCredentials({ clientId: 'client-1', certificateId: 'cert-1', privateKey }) }),
      invoiced: w.invoiced(),
      settings: w.settings,
    });
    expectWellFormed(result);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ side: 'netsuite', check: 'credentials', code: 'invalid_grant' });
    expect(result.problems[0]?.resolution).toContain('OAuth 2.0 Client Credentials (M2M) Setup');
    expect(w.sandbox.netsuite.state.authFailures()).toHaveLength(1);
    expect(outcome(result, 'invoiced')).toEqual(allOk(INVOICED_CHECKS));
    expectNoSecret(result, [...w.secrets, privateKey.split('\n')[1] ?? privateKey]);
  });

  it('diagnoses an OAuth 2.0 private key that cannot sign, before any request', async () => {
    const w = world();
    const ecKey = await exportPKCS8((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const result = await checkConnection({
      netsuite: w.netsuite({ auth: oauthClientCredentials({ clientId: 'client-1', certificateId: 'cert-1', privateKey: ecKey }) }), // PS256 by default
      invoiced: w.invoiced(),
      settings: w.settings,
    });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      { side: 'netsuite', check: 'credentials', code: 'INVALID_PRIVATE_KEY', message: expect.stringContaining('PS256') as string, resolution: expect.stringContaining('PKCS#8') as string },
    ]);
    expect(w.requests()).toEqual({ netsuite: 0, invoiced: 3 });
    expectNoSecret(result, [...w.secrets, ecKey.split('\n')[1] ?? ecKey]);
  });

  it('diagnoses NetSuite down (500 after every retry) without trying its other reads', async () => {
    const w = world();
    w.sandbox.netsuite.faults.set({ rates: { server_error: 1 } });
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'netsuite',
        check: 'credentials',
        code: 'UNEXPECTED_ERROR', // NetSuite's own code for a 500
        message: expect.stringContaining('failed with 500') as string,
        resolution: expect.stringContaining('Retry later') as string,
      },
    ]);
    expect(result.checks.find((check) => check.name === 'transactions')?.detail).toBe('Not checked: NetSuite did not answer.');
    expect(outcome(result, 'invoiced')).toEqual(allOk(INVOICED_CHECKS));
    expect(w.requests()).toEqual({ netsuite: 1 + FAST.retries, invoiced: 3 });
  });

  it('diagnoses NetSuite unreachable, pointing at the account ID the host comes from', async () => {
    const w = world();
    w.sandbox.netsuite.faults.set({ rates: { drop: 1 } });
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ side: 'netsuite', check: 'credentials', code: 'CONNECTION_FAILED' });
    expect(result.problems[0]?.resolution).toContain('https://1234567-sb1.suitetalk.api.netsuite.com');
    expect(result.problems[0]?.resolution).toContain('account ID 1234567_SB1');
    expectNoSecret(result, w.secrets);
  });

  it('diagnoses Invoiced down, and still checks NetSuite', async () => {
    const w = world();
    w.sandbox.invoiced.faults.set({ rates: { server_error: 1 } });
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'invoiced',
        check: 'credentials',
        code: 'INVOICED_SERVER_ERROR',
        message: expect.stringContaining('failed with 500') as string,
        resolution: expect.stringContaining('Try again later') as string,
      },
    ]);
    expect(outcome(result, 'invoiced')).toEqual(noneOk(INVOICED_CHECKS));
    expect(outcome(result, 'netsuite')).toEqual(allOk(NETSUITE_CHECKS));
    expect(w.requests()).toEqual({ netsuite: 4 + PROOF_REQUESTS, invoiced: 1 + FAST.retries });
  });

  it('diagnoses a production key sent to the Invoiced sandbox', async () => {
    const w = world();
    const productionKey = `live_${'9a'.repeat(16)}`;
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced({ apiKey: productionKey }), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'invoiced',
        check: 'credentials',
        code: 'INVOICED_AUTHENTICATION_FAILED',
        message: 'Invoiced refused the API key (sandbox).',
        resolution: expect.stringContaining("Invoiced's sandbox API (https://api.sandbox.invoiced.com). A production key does not work there: drop `sandbox: true`") as string,
      },
    ]);
    expect(w.requests()).toEqual({ netsuite: 4 + PROOF_REQUESTS, invoiced: 1 });
    expectNoSecret(result, [...w.secrets, productionKey]);
  });

  it('diagnoses a sandbox key sent to Invoiced production', async () => {
    // A second sandbox answers as Invoiced production; it knows its own key only.
    const production = createSandbox({ seed: 6, netsuite: { accountId: '7777777' }, invoiced: { baseUrl: 'https://api.invoiced.com' } });
    const w = world({}, [production]);
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced({ sandbox: false }), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'invoiced',
        check: 'credentials',
        code: 'INVOICED_AUTHENTICATION_FAILED',
        message: 'Invoiced refused the API key (production).',
        resolution: expect.stringContaining("Invoiced's production API (https://api.invoiced.com). A key of Invoiced's sandbox only works there with `sandbox: true`") as string,
      },
    ]);
    expect(production.invoiced.requests).toHaveLength(1);
    expectNoSecret(result, w.secrets);
  });

  it('diagnoses a role without the Deleted Records permission, naming where to add it or the setting to turn off', async () => {
    const w = world();
    server?.use(suiteqlRefuses(w.sandbox, 'deletedrecord'));
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'netsuite',
        check: 'deleted records',
        code: 'DELETED_RECORDS_UNREADABLE',
        message: expect.stringContaining("Record 'deletedrecord' was not found") as string,
        resolution: expect.stringContaining('Setup > Users/Roles > Manage Roles') as string,
      },
    ]);
    expect(result.problems[0]?.resolution).toContain('Setup > Deleted Records');
    expect(result.problems[0]?.resolution).toContain('settings.phases.followNetSuiteDeletions');
    expect(outcome(result, 'netsuite')).toEqual({ ...allOk(NETSUITE_CHECKS), 'deleted records': false });
    expect(w.requests()).toEqual({ netsuite: 4 + PROOF_REQUESTS, invoiced: 3 });
  });

  it('diagnoses a role that cannot see transactions or customers', async () => {
    const w = world();
    server?.use(
      suiteqlRefuses(w.sandbox, 'transaction'),
      suiteqlRefuses(w.sandbox, 'customer'),
      http.get(`${w.sandbox.netsuite.baseUrl}/services/rest/record/v1/customer`, () =>
        netsuiteError(403, 'INSUFFICIENT_PERMISSION', "Permission Violation: You need  the 'Lists -> Customers' permission to access this page. Please contact your account administrator."),
      ),
    );
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    // The credentials were accepted (the refusals are about records), so every read was tried.
    expect(outcome(result, 'netsuite')).toEqual({ credentials: true, suiteql: false, transactions: false, 'deleted records': true, 'record service': false });
    const byCheck = Object.fromEntries(result.problems.map((problem) => [problem.check, problem]));
    expect(byCheck['suiteql']).toMatchObject({ code: 'INVALID_PARAMETER', resolution: expect.stringContaining('Lists > Customers') as string });
    expect(byCheck['transactions']).toMatchObject({ code: 'INVALID_PARAMETER', resolution: expect.stringContaining('Transactions > Invoice and Transactions > Customer Payment') as string });
    expect(byCheck['record service']).toMatchObject({
      code: 'INSUFFICIENT_PERMISSION',
      message: expect.stringContaining("You need  the 'Lists -> Customers' permission") as string,
      resolution: expect.stringContaining('Setup > Users/Roles > Manage Roles') as string,
    });
    expect(w.requests()).toEqual({ netsuite: 4 + PROOF_REQUESTS, invoiced: 3 });
  });

  it('diagnoses an Invoiced key that may not read payments', async () => {
    const w = world();
    server?.use(http.get('https://api.sandbox.invoiced.com/payments', () => HttpResponse.json({ type: 'invalid_request', message: 'You do not have permission to do that' }, { status: 403 })));
    const result = await checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'invoiced',
        check: 'payments',
        code: 'INVOICED_PERMISSION_DENIED',
        message: expect.stringContaining('refused to list payments') as string,
        resolution: expect.stringContaining('customers, invoices and payments') as string,
      },
    ]);
    expect(outcome(result, 'invoiced')).toEqual({ ...allOk(INVOICED_CHECKS), payments: false });
  });

  it('reports invalid settings as a problem, and still checks both services', async () => {
    const w = world();
    const result = await checkConnection({
      netsuite: w.netsuite(),
      invoiced: w.invoiced(),
      settings: { leaseTtlMs: 10, currencies: { usd: '1' }, phases: { followNetSuiteDeletions: false } },
    });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'netsuite',
        check: 'settings',
        code: 'INVALID_SETTINGS',
        message: expect.stringMatching(/currencies\.usd .*leaseTtlMs|leaseTtlMs.*currencies\.usd/) as string,
        resolution: expect.stringContaining('docs/configuration.md') as string,
      },
    ]);
    expect(outcome(result, 'netsuite')).toEqual(allOk(NETSUITE_CHECKS));
    // The phase is off even though the settings are invalid: no deleted-records read.
    expect(w.requests()).toEqual({ netsuite: 3, invoiced: 3 });
  });

  it('reports every problem of both sides at once', async () => {
    const w = world();
    const result = await checkConnection({
      netsuite: w.netsuite({ auth: tokenBasedAuth({ ...w.sandbox.netsuite.credentials, consumerKey: 'ab'.repeat(32) }) }),
      invoiced: w.invoiced({ apiKey: 'sandbox_wrong_key_000000' }),
      settings: { invoicedVoids: 'archive' } as unknown as SyncSettingsInput,
    });
    expectWellFormed(result);
    expect(result.problems.map((problem) => `${problem.side}:${problem.check}:${problem.code}`)).toEqual([
      'netsuite:settings:INVALID_SETTINGS',
      'netsuite:credentials:INVALID_LOGIN',
      'invoiced:credentials:INVOICED_AUTHENTICATION_FAILED',
    ]);
    expect(w.requests()).toEqual({ netsuite: 1, invoiced: 1 });
    expectNoSecret(result, [...w.secrets, 'ab'.repeat(32), 'sandbox_wrong_key_000000']);
  });

  it('reports a failure that is no known answer as UNEXPECTED_CHECK_ERROR, and still checks the other side', async () => {
    const w = world();
    const real = w.netsuite();
    const broken: typeof real = Object.create(real) as typeof real;
    Object.defineProperty(broken, 'suiteql', { value: () => Promise.reject(new TypeError('cannot read properties of undefined')) });
    const result = await checkConnection({ netsuite: broken, invoiced: w.invoiced(), settings: w.settings });
    expectWellFormed(result);
    expect(result.problems).toEqual([
      {
        side: 'netsuite',
        check: 'credentials',
        code: 'UNEXPECTED_CHECK_ERROR',
        message: 'The check failed with an unexpected TypeError: cannot read properties of undefined.',
        resolution: expect.stringContaining('report it') as string,
      },
    ]);
    expect(outcome(result, 'invoiced')).toEqual(allOk(INVOICED_CHECKS));
  });

  it('rejects with the reason when cancelled, and refuses what is not a client', async () => {
    const w = world();
    const reason = new Error('cancelled by the user');
    await expect(checkConnection({ netsuite: w.netsuite(), invoiced: w.invoiced(), signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(w.requests()).toEqual({ netsuite: 0, invoiced: 0 });

    const controller = new AbortController();
    w.sandbox.netsuite.faults.set({ rates: { timeout: 1 } });
    const pending = checkConnection({ netsuite: w.netsuite({ timeoutMs: 60_000 }), invoiced: w.invoiced(), signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);

    await expect(checkConnection({ netsuite: {} as never, invoiced: w.invoiced(), settings: w.settings })).rejects.toMatchObject({ name: 'ConfigurationError', issues: [{ path: 'netsuite' }] });
  });
});
