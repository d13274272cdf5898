/**
 * Test helpers for the NetSuite simulator: a controllable clock, a tiny TBA signer written apart from
 * the simulator's verifier (so the two check each other), and a `call()` that signs and sends one request
 * to `service.handle` and returns the status, headers and parsed body.
 */
import { createHmac } from 'node:crypto';
import type { NetSuiteBooks } from '../books';
import type { SandboxOutcome } from '../http';
import { createNetSuiteService, type NetSuiteService, type NetSuiteServiceOptions } from './service';

export const ACCOUNT_ID = '1234567_SB1';
export const ORIGIN = 'https://1234567-sb1.suitetalk.api.netsuite.com';
export const CREDENTIALS = { consumerKey: 'consumer-key-1', consumerSecret: 'consumer-secret-1', tokenId: 'token-id-1', tokenSecret: 'token-secret-1' };

/** A clock that only moves when told. */
export interface TestClock {
  now: () => Date;
  advance(seconds: number): void;
}

export function createTestClock(start = '2026-03-02T10:00:00Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}

const percent = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What to sign. */
export interface SignInput {
  method: string;
  url: URL;
  realm: string;
  credentials: typeof CREDENTIALS;
  timestamp: number | string;
  nonce: string;
}

/** An `Authorization: OAuth ...` header value (HMAC-SHA256), built by the book. */
export function signTba(input: SignInput): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', input.credentials.consumerKey],
    ['oauth_nonce', input.nonce],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(input.timestamp)],
    ['oauth_token', input.credentials.tokenId],
    ['oauth_version', '1.0'],
  ];
  const pairs = [...oauth, ...input.url.searchParams].map(([key, value]) => [percent(key), percent(value)] as const);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const parameters = pairs.map(([key, value]) => `${key}=${value}`).join('&');
  const baseUrl = `${input.url.protocol}//${input.url.host}${input.url.pathname}`;
  const base = `${input.method.toUpperCase()}&${percent(baseUrl)}&${percent(parameters)}`;
  const key = `${percent(input.credentials.consumerSecret)}&${percent(input.credentials.tokenSecret)}`;
  const signature = createHmac('sha256', key).update(base).digest('base64');
  const fields = [['realm', input.realm], ...oauth, ['oauth_signature', signature]];
  return `OAuth ${fields.map(([name = '', value = '']) => `${name}="${percent(value)}"`).join(', ')}`;
}

/** A JSON object as tests read it. */
export type Json = Record<string, unknown>;

/** A response as tests read it (`body` is `{}` when there was none). */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: Json;
  /** Whether the response had a body at all. */
  hasBody: boolean;
}

export function responseOf(outcome: SandboxOutcome): TestResponse {
  if (outcome.kind !== 'response') throw new Error(`expected a response, got ${outcome.kind}`);
  const hasBody = outcome.body !== undefined;
  return { status: outcome.status, headers: { ...outcome.headers }, body: hasBody ? (outcome.body as Json) : {}, hasBody };
}

/** The `items` of a collection, SuiteQL page or sublist. */
export function itemsOf(value: TestResponse | Json | undefined): Json[] {
  const body: Json | undefined = isTestResponse(value) ? value.body : value;
  return (body?.items as Json[] | undefined) ?? [];
}

function isTestResponse(value: TestResponse | Json | undefined): value is TestResponse {
  return value !== undefined && 'status' in value && 'headers' in value && 'hasBody' in value;
}

/** The first `o:errorDetails` entry of an error response. */
export function errorOf(response: TestResponse): Record<string, string> {
  return (response.body['o:errorDetails'] as Record<string, string>[] | undefined)?.[0] ?? {};
}

/** Options of one call. */
export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** `false` sends no Authorization header; a string sends it as is. */
  auth?: false | string;
}

/** A service with a test clock and a signing `call()`. */
export interface TestHarness {
  service: NetSuiteService;
  clock: TestClock;
  call(method: string, path: string, options?: CallOptions): Promise<TestResponse>;
}

let nonceCounter = 0;

/** A fresh nonce for every request. */
export function nextNonce(): string {
  nonceCounter += 1;
  return `nonce${nonceCounter}x${Math.random().toString(36).slice(2)}`;
}

export function createHarness(options: Partial<NetSuiteServiceOptions> = {}): TestHarness {
  const clock = createTestClock();
  const service = createNetSuiteService({ accountId: ACCOUNT_ID, credentials: CREDENTIALS, clock: clock.now, ...options });
  return {
    service,
    clock,
    async call(method, path, callOptions = {}) {
      const url = new URL(path, ORIGIN);
      const headers = new Headers(callOptions.headers);
      if (callOptions.auth !== false) {
        const timestamp = Math.floor(clock.now().getTime() / 1000);
        const value = callOptions.auth ?? signTba({ method, url, realm: ACCOUNT_ID, credentials: CREDENTIALS, timestamp, nonce: nextNonce() });
        headers.set('authorization', value);
      }
      const body = callOptions.body === undefined ? '' : typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body);
      if (body !== '' && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return responseOf(await service.handle({ method, url, headers, body }));
    },
  };
}

/** The ID at the end of a `Location` header. */
export function idFromLocation(response: TestResponse): string {
  const location = response.headers.location ?? '';
  return location.slice(location.lastIndexOf('/') + 1);
}

/** A small hand-written set of books: two customers (USD, EUR), three invoices, a payment, a credit memo. */
export function smallBooks(): NetSuiteBooks {
  return {
    currencies: ['USD', 'EUR'],
    subsidiaries: [{ id: '1', name: 'Honeycomb Holdings' }],
    items: [
      { id: '10', itemId: 'Consulting', kind: 'service' },
      { id: '11', itemId: 'Sales Tax', kind: 'tax' },
    ],
    accounts: [
      { id: '100', name: 'Checking', kind: 'bank' },
      { id: '101', name: 'Undeposited Funds', kind: 'undeposited' },
    ],
    customers: [
      { id: '201', entityId: 'CUST-201', isPerson: false, companyName: 'Acme Corp', email: 'ap@acme.test', currency: 'USD', subsidiaryId: '1', externalId: 'invd-cust-1', lastModifiedDate: '2026-01-05T08:00:00Z' },
      { id: '202', entityId: 'CUST-202', isPerson: true, firstName: 'Ada', lastName: "O'Brien", currency: 'EUR', subsidiaryId: '1', lastModifiedDate: '2026-01-06T08:00:00Z' },
    ],
    invoices: [
      { id: '301', tranId: 'INV-301', customerId: '201', currency: 'USD', tranDate: '2026-01-10', dueDate: '2026-02-09', lines: [{ itemId: '10', quantity: '2', rate: '150.25', amount: '300.50' }], lastModifiedDate: '2026-01-10T09:00:00Z' },
      { id: '302', tranId: 'INV-302', customerId: '201', currency: 'USD', tranDate: '2026-01-12', dueDate: '2026-02-11', lines: [{ itemId: '10', quantity: '1', rate: '100', amount: '100', description: 'Retainer' }], externalId: 'invd-inv-302', lastModifiedDate: '2026-01-12T09:00:00Z' },
      { id: '303', tranId: 'INV-303', customerId: '202', currency: 'EUR', tranDate: '2026-01-15', dueDate: '2026-02-14', lines: [{ itemId: '10', quantity: '3', rate: '10', amount: '30' }], lastModifiedDate: '2026-01-15T09:00:00Z' },
    ],
    payments: [
      { id: '401', tranId: 'PYMT-401', customerId: '201', currency: 'USD', tranDate: '2026-01-20', amount: '350.50', undepFunds: true, applications: [{ invoiceId: '301', amount: '300.50' }, { invoiceId: '302', amount: '50' }], lastModifiedDate: '2026-01-20T09:00:00Z' },
    ],
    creditMemos: [
      { id: '501', tranId: 'CM-501', customerId: '202', currency: 'EUR', tranDate: '2026-01-21', lines: [{ itemId: '10', quantity: '1', rate: '5', amount: '5' }], applications: [{ invoiceId: '303', amount: '5' }], lastModifiedDate: '2026-01-21T09:00:00Z' },
    ],
  };
}
