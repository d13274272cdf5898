/**
 * The baseline: the sync a developer writes without this library. Plain `fetch`, OAuth 1.0a signed by
 * hand, one request at a time: list the open invoices' IDs with SuiteQL, then for each invoice GET its
 * record, find its customer on Invoiced by `metadata.netsuite_id` (GET the NetSuite customer and create it
 * when missing; customers are remembered for the run), and create the invoice on Invoiced. A request
 * that fails is logged as a failure and the invoice skipped: no retries, no batching, no concurrency.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Meter } from '#bench/meter';
import type { ChildConfig } from '#bench/protocol';

/** RFC 3986 percent-encoding, as OAuth 1.0a signs. */
const encode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

/** The `Authorization` header of NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256) for one request. */
export function oauthHeader(method: string, url: URL, netsuite: ChildConfig['netsuite'], nowSeconds: number): string {
  const { consumerKey, consumerSecret, tokenId, tokenSecret } = netsuite.credentials;
  const oauth: [string, string][] = [
    ['oauth_consumer_key', consumerKey],
    ['oauth_token', tokenId],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(nowSeconds)],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_version', '1.0'],
  ];
  const parameters = [...oauth, ...url.searchParams]
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const base = [method, encode(`${url.protocol}//${url.host}${url.pathname}`), encode(parameters)].join('&');
  const signature = createHmac('sha256', `${encode(consumerSecret)}&${encode(tokenSecret)}`).update(base).digest('base64');
  const realm = netsuite.accountId.toUpperCase().replace(/-/g, '_');
  const signed: [string, string][] = [...oauth, ['oauth_signature', signature]];
  return `OAuth realm="${realm}", ${signed.map(([key, value]) => `${key}="${encode(value)}"`).join(', ')}`;
}

interface Answer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: unknown;
}

type Fields = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const reference = (value: unknown): string => (typeof value === 'object' && value !== null ? text((value as Fields).id) : '');
const unixDay = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);

/** What the baseline did. */
export interface BaselineOutcome {
  readonly processed: number;
  readonly total: number;
  readonly created: number;
  readonly customersCreated: number;
  readonly failures: number;
  readonly listingMs: number;
  readonly listingRequests: { readonly netsuite: number; readonly invoiced: number };
}

/** Runs the baseline; `meter` counts its requests like the engine's (phases `list ids` and `records`). */
export async function runBaseline(config: ChildConfig, meter: Meter, now: () => number): Promise<BaselineOutcome> {
  const maxInvoices = config.baseline?.maxInvoices ?? Number.POSITIVE_INFINITY;
  const currencies = config.baseline?.currencies ?? [];
  const netsuiteFetch = meter.fetchFor('netsuite');
  const invoicedFetch = meter.fetchFor('invoiced');
  const invoicedAuth = `Basic ${Buffer.from(`${config.invoiced.apiKey}:`).toString('base64')}`;

  const answer = async (response: Response): Promise<Answer> => {
    const body = await response.text();
    let parsed: unknown;
    try {
      parsed = body === '' ? undefined : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    return { ok: response.ok, status: response.status, body: parsed };
  };
  const netsuite = async (method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<Answer> => {
    const url = new URL(path, config.netsuite.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const headers: Record<string, string> = { authorization: oauthHeader(method, url, config.netsuite, Math.floor(now() / 1000)), accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (path.endsWith('/suiteql')) headers.prefer = 'transient';
    return answer(await netsuiteFetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  };
  const invoiced = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: invoicedAuth, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answer(await invoicedFetch(new URL(path, config.invoiced.url), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  };

  // 1. Every open invoice's ID, 1000 a page.
  meter.enter('list ids');
  const listStarted = performance.now();
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await netsuite('POST', '/services/rest/query/v1/suiteql', { limit: '1000', offset: String(offset) }, {
      q: "SELECT id FROM transaction WHERE type = 'CustInvc' AND status = 'A' ORDER BY id",
    });
    if (!page.ok) throw new Error(`Listing open invoices failed with HTTP ${page.status}.`);
    const { items, hasMore } = page.body as { items: Fields[]; hasMore: boolean };
    for (const item of items) ids.push(text(item.id));
    if (!hasMore || items.length === 0) break;
  }
  const listingMs = performance.now() - listStarted;
  meter.leave('list ids');
  const listing = meter.result(listStarted).find((phase) => phase.phase === 'list ids');
  const listingRequests = { netsuite: listing?.apis.netsuite.requests ?? 0, invoiced: listing?.apis.invoiced.requests ?? 0 };

  // 2. Each invoice, one request at a time.
  meter.enter('records');
  const customers = new Map<string, number>();
  let processed = 0;
  let created = 0;
  let customersCreated = 0;
  let failures = 0;
  for (const id of ids.slice(0, maxInvoices)) {
    processed += 1;
    const record = await netsuite('GET', `/services/rest/record/v1/invoice/${id}`, { expandSubResources: 'true' });
    if (!record.ok) {
      failures += 1;
      continue;
    }
    const invoice = record.body as Fields;
    const netsuiteCustomer = reference(invoice.entity);
    let customer = customers.get(netsuiteCustomer);
    if (customer === undefined) {
      const found = await invoiced('GET', `/customers?metadata[netsuite_id]=${encodeURIComponent(netsuiteCustomer)}`);
      const first = Array.isArray(found.body) ? (found.body[0] as Fields | undefined) : undefined;
      if (found.ok && first !== undefined) customer = Number(first.id);
      else {
        const details = await netsuite('GET', `/services/rest/record/v1/customer/${netsuiteCustomer}`);
        if (!details.ok) {
          failures += 1;
          continue;
        }
        const fields = details.body as Fields;
        const name = text(fields.companyName).trim() || `${text(fields.firstName)} ${text(fields.lastName)}`.trim() || text(fields.entityId);
        const made = await invoiced('POST', '/customers', { name, metadata: { netsuite_id: netsuiteCustomer } });
        if (!made.ok) {
          failures += 1;
          continue;
        }
        customer = Number((made.body as Fields).id);
        customersCreated += 1;
      }
      customers.set(netsuiteCustomer, customer);
    }
    const lines = ((invoice.item as Fields | undefined)?.items ?? []) as Fields[];
    const dueDate = text(invoice.dueDate);
    const made = await invoiced('POST', '/invoices', {
      customer,
      currency: (currencies[Number(reference(invoice.currency)) - 1] ?? 'USD').toLowerCase(),
      number: text(invoice.tranId),
      date: unixDay(text(invoice.tranDate)),
      ...(dueDate === '' ? {} : { due_date: unixDay(dueDate) }),
      items: lines.map((line) => ({ name: text((line.item as Fields | undefined)?.refName) || 'Item', quantity: 1, unit_cost: Number(line.amount) })),
      metadata: { netsuite_id: id },
    });
    if (made.ok) created += 1;
    else failures += 1;
  }
  meter.leave('records');
  return { processed, total: ids.length, created, customersCreated, failures, listingMs, listingRequests };
}
