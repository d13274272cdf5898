/**
 * Fixtures shared by the Invoiced client's tests (msw server, sample records, a client with tiny retry
 * delays). Not part of the public API and not imported by the package entry.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createInvoicedClient } from './client';
import type { InvoicedClient } from './client';
import type { InvoicedClientOptions } from './options';

/** A realistic-looking key: long enough for the redactor, distinctive enough to search for. */
export const API_KEY = 'sk_test_9Qm4Zt7Lp2Vx8Rb6Nc3Hd5Jf1Kg0Ws';
/** The key as it travels in the Basic header (`base64("key:")`). */
export const API_KEY_BASIC = Buffer.from(`${API_KEY}:`).toString('base64');
export const PRODUCTION = 'https://api.invoiced.com';
export const SANDBOX = 'https://api.sandbox.invoiced.com';
/** Tiny retry delays, so retry tests stay fast. */
export const FAST_RETRIES = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

/**
 * An msw server for one test file: listens before, resets after each test, closes after all. A request
 * no handler answers is an error, never a real network call. (msw 3 renamed msw 2's `onUnhandledRequest`
 * to `onUnhandledFrame` and silently ignores the old name, which would fall back to warn-and-bypass.)
 */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A client against production with tiny retry delays; override anything. */
export function makeClient(options: Partial<InvoicedClientOptions> = {}): InvoicedClient {
  return createInvoicedClient({ apiKey: API_KEY, retries: FAST_RETRIES, ...options });
}

export function customerJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 15444,
    object: 'customer',
    name: 'Acme',
    number: 'CUST-0001',
    email: null,
    type: 'company',
    currency: 'usd',
    created_at: 1415222128,
    updated_at: 1415222128,
    metadata: {},
    ...overrides,
  };
}

export function lineItemJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 7,
    object: 'line_item',
    catalog_item: null,
    type: 'product',
    name: 'Copy Paper, Case',
    description: null,
    quantity: 1,
    unit_cost: 45,
    amount: 45,
    discountable: true,
    discounts: [],
    taxable: true,
    taxes: [],
    metadata: {},
    ...overrides,
  };
}

export function invoiceJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 46225,
    object: 'invoice',
    customer: 15444,
    name: null,
    number: 'INV-0016',
    currency: 'usd',
    draft: false,
    closed: false,
    paid: false,
    status: 'not_sent',
    date: 1416290400,
    due_date: 1417500000,
    payment_terms: 'NET 14',
    items: [lineItemJson()],
    notes: null,
    subtotal: 45,
    discounts: [],
    taxes: [],
    total: 45,
    balance: 45,
    created_at: 1415229884,
    updated_at: 1415229884,
    metadata: {},
    ...overrides,
  };
}

export function paymentJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 61,
    object: 'payment',
    customer: 15444,
    date: 1586880431,
    currency: 'usd',
    amount: 45,
    balance: 0,
    voided: false,
    method: 'check',
    reference: '1001',
    source: 'keyed',
    notes: null,
    applied_to: [{ type: 'invoice', invoice: 46225, amount: 45 }],
    created_at: 1586880432,
    updated_at: 1586880432,
    ...overrides,
  };
}

export function creditNoteJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 2048,
    object: 'credit_note',
    customer: 15444,
    name: null,
    number: 'CN-0016',
    currency: 'usd',
    draft: false,
    closed: false,
    paid: false,
    status: 'open',
    date: 1416290400,
    items: [lineItemJson()],
    notes: null,
    subtotal: 45,
    discounts: [],
    taxes: [],
    total: 45,
    balance: 45,
    created_at: 1415229884,
    updated_at: 1415229884,
    metadata: {},
    ...overrides,
  };
}

/** Invoiced's error body. */
export function errorJson(type: string, message: string, param?: string): Record<string, unknown> {
  return param === undefined ? { type, message } : { type, message, param };
}

/** Invoiced's 429 text. */
export const RATE_LIMIT_MESSAGE = 'Too many concurrent requests! You can only make 20 concurrent requests at a time.';

/** Resolves when `predicate` holds, polling every few milliseconds (fails after `timeoutMs`). */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
