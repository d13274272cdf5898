import type { KeyObject } from 'node:crypto';
import type { HttpHandler } from 'msw';
import type { Books } from './books';
import type { FaultInjector } from './faults';
import { json, type SandboxOutcome } from './http';
import { createInvoicedService, type InvoicedState, type InvoicedWebhookOptions, type InvoicedWebhooks } from './invoiced/index';
import { createNetSuiteService, type NetSuiteAccountShape, type NetSuiteState } from './netsuite/index';
import { createRandom, type Random } from './random';
import { GovernedService, type RequestLogEntry } from './service';
import { listenService, mswHandlers } from './transports';

/** TBA credentials the simulated NetSuite accepts. */
export interface SandboxNetSuiteCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Seed of everything drawn at random: default credentials, latencies, fault plans. @default 1 */
  seed?: number | string;
  /** The sandbox's clock (record timestamps, signature timestamps, token expiry). @default () => new Date() */
  clock?: () => Date;
  netsuite?: {
    /** @default '1234567_SB1' */
    accountId?: string;
    /** @default derived from the seed (see `sandbox.netsuite.credentials`) */
    credentials?: SandboxNetSuiteCredentials;
    /** Accept OAuth 2.0 client credentials: assertions are checked with this public key. */
    oauth2?: { clientId: string; certificateId: string; publicKey: string | CryptoKey | KeyObject; algorithms?: string[] };
    /** Requests in flight at most before NetSuite's 429. @default 5 */
    concurrencyLimit?: number;
    /** Added delay per request, fixed or a seeded range. @default 0 */
    latencyMs?: number | { min: number; max: number };
    /** The URL the msw handlers answer. @default derived from the account ID, like NetSuite's */
    baseUrl?: string;
    /**
     * The integration user's time zone (IANA name): SuiteQL shows datetimes and reads datetime literals in
     * it, as NetSuite does. West of UTC with daylight saving time unless told, so that code that assumes
     * UTC fails here first.
     * @default 'America/Los_Angeles'
     */
    timeZone?: string;
    /**
     * The account's own shape: subsidiaries, classes, departments, locations, employees, custom fields,
     * forms and mandatory classifications (see `netsuite/account-shape.ts`); `sandbox.netsuite.state.setShape()`
     * changes it later. A bad shape throws `NetSuiteShapeError`.
     * @default {} (subsidiary 1 only)
     */
    shape?: NetSuiteAccountShape;
  };
  invoiced?: {
    /** @default derived from the seed (see `sandbox.invoiced.apiKey`) */
    apiKey?: string;
    /** Requests in flight at most before Invoiced's 429. @default 20 */
    concurrencyLimit?: number;
    /** @default 0 */
    latencyMs?: number | { min: number; max: number };
    /** The URL the msw handlers answer. @default 'https://api.sandbox.invoiced.com' */
    baseUrl?: string;
    /**
     * The webhook engine: retry delay (Invoiced: an hour; make it milliseconds in tests), attempts, timeout,
     * concurrency. Secrets are drawn from the sandbox's seed unless `webhooks.seed` says otherwise.
     */
    webhooks?: InvoicedWebhookOptions;
  };
}

/** One simulated service, for arranging and asserting. */
export interface SandboxService<State> {
  /** The records, read and written directly (no HTTP, no faults, no auth). */
  readonly state: State;
  /** The fault plan: `faults.set({ seed, rates, schedule })`, `faults.clear()`. */
  readonly faults: FaultInjector;
  /** Every request so far. */
  readonly requests: readonly RequestLogEntry[];
  /** In-flight counts and totals. */
  readonly stats: { inFlight: number; peakInFlight: number; requests: number; refused: number };
  /** Forgets the request log. */
  clearRequests(): void;
  /** The base URL the msw handlers answer. */
  readonly baseUrl: string;
}

/** Running `node:http` servers of a sandbox. */
export interface SandboxServers {
  /** Give this to the NetSuite client as `baseUrl`. */
  readonly netsuiteUrl: string;
  /** Give this to the Invoiced client as `baseUrl`. */
  readonly invoicedUrl: string;
  close(): Promise<void>;
}

/** A running pair of simulators. */
export interface Sandbox {
  /** msw handlers for both services: `setupServer(...sandbox.handlers)`. */
  readonly handlers: HttpHandler[];
  /** Starts real HTTP servers on loopback (random ports unless given). */
  listen(options?: { host?: string; netsuitePort?: number; invoicedPort?: number }): Promise<SandboxServers>;
  readonly netsuite: SandboxService<NetSuiteState> & {
    readonly accountId: string;
    readonly credentials: SandboxNetSuiteCredentials;
  };
  readonly invoiced: SandboxService<InvoicedState> & {
    readonly apiKey: string;
    /**
     * Webhook endpoints: every event of the simulated account is POSTed to them, signed, with Invoiced's
     * retries; `faults()` drops, duplicates or reorders deliveries from a seed.
     * @example
     * const hook = sandbox.invoiced.webhooks.add({ url: 'http://127.0.0.1:4000/hooks' });
     * await sandbox.invoiced.webhooks.idle();
     */
    readonly webhooks: InvoicedWebhooks;
  };
  /**
   * Replaces both services' records with a set of books (generated or hand-written) and returns the
   * Invoiced IDs by key. The Invoiced account is emptied first, so its records get IDs 1, 2, 3... in the
   * books' order: the IDs the books' `invd-inv-<id>` / `invd-pay-<id>` NetSuite records refer to.
   */
  load(books: Books): ReturnType<InvoicedState['load']>;
}

const hex = (random: Random, length: number) => Array.from({ length }, () => random.int(0, 15).toString(16)).join('');

/** NetSuite's host for an account: lower case, `_` to `-`. */
function netsuiteHost(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

/** Headers Invoiced sets on every answer of its API, errors included. */
const INVOICED_HEADERS = { 'cache-control': 'no-cache, no-store', 'www-authenticate': 'Basic realm="Invoiced"' };

const netsuiteTooMany = (): SandboxOutcome =>
  json(
    429,
    {
      type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
      title: 'Bad Request',
      status: 429,
      'o:errorDetails': [{ detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }],
    },
    { 'content-type': 'application/vnd.oracle.resource+json; type=error' },
  );

const netsuiteServerError = (): SandboxOutcome =>
  json(
    500,
    {
      type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
      title: 'Internal Server Error',
      status: 500,
      'o:errorDetails': [{ detail: 'An unexpected error occurred. Error ID: sandbox', 'o:errorCode': 'UNEXPECTED_ERROR' }],
    },
    { 'content-type': 'application/vnd.oracle.resource+json; type=error' },
  );

/**
 * Creates stateful NetSuite and Invoiced simulators that answer real HTTP, either in-process through
 * msw (`sandbox.handlers`) or on loopback servers (`sandbox.listen()`).
 *
 * @example
 * ```ts
 * const sandbox = createSandbox({ seed: 7 });
 * sandbox.load(generateBooks({ seed: 7, customers: 20, invoices: 100 }));
 * const server = setupServer(...sandbox.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials) });
 * ```
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const random = createRandom(options.seed ?? 1);
  const clock = options.clock ?? (() => new Date());
  const credentialRandom = random.fork('credentials');

  const accountId = (options.netsuite?.accountId ?? '1234567_SB1').toUpperCase().replace(/-/g, '_');
  const credentials: SandboxNetSuiteCredentials = options.netsuite?.credentials ?? {
    consumerKey: hex(credentialRandom, 64),
    consumerSecret: hex(credentialRandom, 64),
    tokenId: hex(credentialRandom, 64),
    tokenSecret: hex(credentialRandom, 64),
  };
  const apiKey = options.invoiced?.apiKey ?? `sandbox_${hex(credentialRandom, 32)}`;

  const netsuiteModel = createNetSuiteService({
    accountId,
    credentials,
    clock,
    seed: random.fork('netsuite').seed,
    ...(options.netsuite?.timeZone === undefined ? {} : { timeZone: options.netsuite.timeZone }),
    ...(options.netsuite?.oauth2 === undefined ? {} : { oauth2: options.netsuite.oauth2 }),
    ...(options.netsuite?.shape === undefined ? {} : { shape: options.netsuite.shape }),
  });
  const invoicedModel = createInvoicedService({
    apiKey,
    clock,
    webhooks: { seed: random.fork('invoiced-webhooks').seed, ...options.invoiced?.webhooks },
  });
  const invoicedLimit = options.invoiced?.concurrencyLimit ?? 20;

  const netsuite = new GovernedService(netsuiteModel.handle, {
    name: 'netsuite',
    concurrencyLimit: options.netsuite?.concurrencyLimit ?? 5,
    latencyMs: options.netsuite?.latencyMs ?? 0,
    random: random.fork('netsuite-latency'),
    tooManyRequests: netsuiteTooMany,
    serverError: netsuiteServerError,
  });
  const faultIds = random.fork('invoiced-fault-ids');
  const invoiced = new GovernedService(invoicedModel.handle, {
    name: 'invoiced',
    concurrencyLimit: invoicedLimit,
    latencyMs: options.invoiced?.latencyMs ?? 0,
    random: random.fork('invoiced-latency'),
    tooManyRequests: () =>
      json(
        429,
        { type: 'rate_limit_error', message: `Too many concurrent requests! You can only make ${invoicedLimit} concurrent requests at a time.` },
        INVOICED_HEADERS,
      ),
    serverError: () =>
      json(
        500,
        {
          type: 'api_error',
          message: `There was an error processing your request. Our engineers have been notified and will be looking into it soon. If you would like help then you can reach us at support@invoiced.com.\n\nCorrelation ID: ${hex(faultIds, 12)}`,
        },
        INVOICED_HEADERS,
      ),
  });

  const netsuiteBaseUrl = (options.netsuite?.baseUrl ?? netsuiteHost(accountId)).replace(/\/+$/, '');
  const invoicedBaseUrl = (options.invoiced?.baseUrl ?? 'https://api.sandbox.invoiced.com').replace(/\/+$/, '');

  const view = <State>(service: GovernedService, state: State, baseUrl: string): SandboxService<State> => ({
    state,
    faults: service.faults,
    get requests() {
      return service.requests;
    },
    get stats() {
      return service.stats;
    },
    clearRequests: () => service.clearRequests(),
    baseUrl,
  });

  return {
    handlers: [...mswHandlers(netsuiteBaseUrl, netsuite), ...mswHandlers(invoicedBaseUrl, invoiced)],
    async listen(listenOptions = {}) {
      const host = listenOptions.host ?? '127.0.0.1';
      const netsuiteServer = await listenService(netsuite, { host, port: listenOptions.netsuitePort ?? 0 });
      const invoicedServer = await listenService(invoiced, { host, port: listenOptions.invoicedPort ?? 0 }).catch(async (error: unknown) => {
        await netsuiteServer.close();
        throw error;
      });
      return {
        netsuiteUrl: netsuiteServer.url,
        invoicedUrl: invoicedServer.url,
        close: async () => {
          await Promise.all([netsuiteServer.close(), invoicedServer.close()]);
        },
      };
    },
    // Object.assign onto the view keeps its live getters (a spread would copy their current values).
    netsuite: Object.assign(view(netsuite, netsuiteModel.state, netsuiteBaseUrl), { accountId, credentials }),
    invoiced: Object.assign(view(invoiced, invoicedModel.state, invoicedBaseUrl), { apiKey, webhooks: invoicedModel.webhooks }),
    load(books) {
      netsuiteModel.state.load(books.netsuite);
      invoicedModel.state.reset();
      return invoicedModel.state.load(books.invoiced);
    },
  };
}
