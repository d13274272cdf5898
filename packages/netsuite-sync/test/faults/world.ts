/**
 * One seed's world: the sandbox loaded with the seed's books (served on loopback ports), the in-memory
 * store every process of the seed shares, a clock the harness moves by hand, and a way to run one
 * process — new clients and a new engine, with the run's fault plans set on the sandbox, its crash point
 * and its abort — recording what it did.
 */
import { createRandom, createSandbox, generateBooks, type Books, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import {
  createInvoicedClient,
  createNetSuiteClient,
  createSyncEngine,
  SyncInProgressError,
  tokenBasedAuth,
  type Logger,
  type SyncEvent,
  type SyncRun,
  type SyncSettingsInput,
  type SyncStore,
} from '../../src/index';
import { MappedLedger, MAPPED_SETTINGS, MAPPED_SHAPE, seedMappedValues } from './mapped-fields';
import { safeJson, SimulatedProcess } from './process';
import { CLEAN_RETRIES, type RunPlan, type Scenario } from './scenario';
import { servicesIdle } from './services-idle';
import { startWebhooks, type PendingOutcome, type WebhookReceiver } from './webhooks';

/** The phases of a sync, in order; also the names of their cursors. */
export const PHASES = ['netsuite_invoices', 'netsuite_credit_memos', 'netsuite_payments', 'netsuite_deletions', 'invoiced_invoices', 'invoiced_credit_notes', 'invoiced_payments', 'invoiced_refunds'] as const;
/** Time of the first run. The books' records were all modified before it. */
const START = Date.parse('2026-11-10T08:00:00Z');
/** The clock moves this much before each run. Less than the default cursor overlap (5 minutes), as with a frequent auto-sync. */
export const BETWEEN_RUNS_MS = 60_000;
/** The connection's lease: short, so that the clock can be moved past a crashed holder's lease. */
export const LEASE_TTL_MS = 60_000;
/** Per-attempt timeout of both clients: an injected timeout costs this much. */
export const TIMEOUT_MS = 100;
/** A run that has not settled after this long is reported as hung. */
const HUNG_AFTER_MS = 60_000;

/** How a run ended, as the harness saw it. */
export type RunEnd = SyncRun['status'] | 'crashed' | 'rejected' | 'hung';

/** What one process did. */
export interface RunOutcome {
  readonly plan: RunPlan;
  /** The clock during the run (ISO), which is also every cursor the run moved. */
  readonly time: string;
  readonly end: RunEnd;
  /** The run as `sync()` resolved it. */
  readonly run: SyncRun | undefined;
  /** What `sync()` rejected with. */
  readonly rejection: unknown;
  /** Where the process died, when it did. */
  readonly diedAt: string | undefined;
  /** Whether the process died holding the lease. */
  readonly diedHoldingLease: boolean;
  readonly aborted: boolean;
  readonly events: readonly SyncEvent[];
  /** Store operations and HTTP attempts of the process. */
  readonly operations: number;
  /** What the process still did once `sync()` had settled (see {@link SimulatedProcess.late}). */
  readonly late: readonly string[];
  readonly cursorsBefore: Readonly<Record<string, string | null>>;
  readonly cursorsAfter: Readonly<Record<string, string | null>>;
}

/**
 * A clock reading `time`, made outside any scope that holds the world: the sandbox's SQLite functions
 * keep the clock for good, and a closure sharing a scope with one that captured the world would keep
 * every seed's world alive (the database's native handle to it is never collected).
 */
function clockOf(time: { now: number }): () => Date {
  return () => new Date(time.now);
}

/** The world of one seed. */
export class FaultWorld {
  readonly scenario: Scenario;
  readonly sandbox: Sandbox;
  readonly books: Books;
  readonly connectionId: string;
  readonly settings: SyncSettingsInput;
  /** The store every process of the seed shares (each sees it through its own door). */
  readonly store: SyncStore;
  /** What people did to the mapped fields, in a world with field mappings. */
  readonly mapped: MappedLedger | undefined;
  /** Every line logged by the clients and the engine. */
  readonly logs: string[] = [];
  /** Arguments of every store write, serialized. */
  readonly journal: string[] = [];
  /** The harness's clock: the sandbox's, the store's, the engine's and the signatures'. */
  readonly clock: () => Date;
  readonly #time = { now: START };
  readonly #logger: Logger;
  #servers: SandboxServers | undefined;
  #webhooks: WebhookReceiver | undefined;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    const clock = clockOf(this.#time);
    this.clock = clock;
    const { secrets } = scenario;
    this.sandbox = createSandbox({
      seed: scenario.seed,
      clock,
      netsuite: {
        credentials: { consumerKey: secrets.consumerKey, consumerSecret: secrets.consumerSecret, tokenId: secrets.tokenId, tokenSecret: secrets.tokenSecret },
        ...(scenario.fieldMappings ? { shape: MAPPED_SHAPE } : {}),
      },
      invoiced: { apiKey: secrets.apiKey },
    });
    this.books = generateBooks({ seed: scenario.seed, ...scenario.books });
    this.sandbox.load(this.books);
    if (scenario.fieldMappings) {
      // Mapped values in the books: a random stream of their own, so the books are generated as without mappings.
      seedMappedValues(this.sandbox, createRandom(`netsuite-sync faults ${scenario.seed} mapped values`));
      this.mapped = new MappedLedger(this.sandbox);
    } else {
      this.mapped = undefined;
    }
    this.store = memoryStore({ clock });
    this.connectionId = `faults-${scenario.seed}`;
    this.settings = {
      items: { defaultItem: this.books.netsuite.items.find((item) => item.kind === 'service')?.id },
      subsidiary: this.books.netsuite.subsidiaries[0]?.id,
      // Invoiced refunds are paid from the books' bank account (account 1 is Undeposited Funds).
      refundAccount: this.books.netsuite.accounts.find((account) => account.kind === 'bank')?.id,
      currencies: Object.fromEntries(this.books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
      leaseTtlMs: LEASE_TTL_MS,
      recordConcurrency: scenario.recordConcurrency,
      ...(scenario.fieldMappings ? { netsuiteFields: MAPPED_SETTINGS } : {}),
    };
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
      this.logs.push(`${level} ${message} ${safeJson(fields)}`);
    };
    this.#logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }

  /**
   * Serves the sandbox on loopback ports. (Real sockets rather than msw: msw keeps some memory of every
   * request it intercepts, which thousands of seeds in one worker cannot afford; the sandbox's faults
   * behave the same on both.)
   */
  async listen(): Promise<void> {
    this.#servers ??= await this.sandbox.listen();
    const plan = this.scenario.webhooks;
    if (plan !== null && this.#webhooks === undefined) {
      this.#webhooks = await startWebhooks({ sandbox: this.sandbox, store: this.store, connectionId: this.connectionId, clock: this.clock, seed: this.scenario.seed }, plan, this.#logger);
    }
  }

  /** The seed's webhook receiver, when it has one (faults/webhooks.ts). */
  get webhooks(): WebhookReceiver | undefined {
    return this.#webhooks;
  }

  /** Stops serving the sandbox (hung requests included) and the webhook receiver. */
  async close(): Promise<void> {
    await this.#webhooks?.close();
    this.#webhooks = undefined;
    await this.#servers?.close();
    this.#servers = undefined;
  }

  /**
   * One `engine.syncPending()` in a new process (faults/webhooks.ts), aborted once `abortAfterRecords`
   * records were synced, skipped or failed (0: before it starts). `during`: inside a planned run, whose
   * faults are set (and whose process may hold the lease).
   */
  async pending(abortAfterRecords: number | null, during: boolean): Promise<PendingOutcome> {
    const simulated = new SimulatedProcess(null, this.journal);
    const controller = new AbortController();
    if (abortAfterRecords === 0) controller.abort(new Error('inbox run aborted by the fault harness'));
    let records = 0;
    const engine = this.#engine(simulated, CLEAN_RETRIES, (event) => {
      if (event.type !== 'record_synced' && event.type !== 'record_skipped' && event.type !== 'record_failed') return;
      records += 1;
      if (records === abortAfterRecords) controller.abort(new Error('inbox run aborted by the fault harness'));
    });
    const aborted = () => controller.signal.aborted;
    const late = simulated.late;
    try {
      const run = await engine.syncPending({ signal: controller.signal }).finally(() => simulated.ended());
      return { end: run === null ? 'nothing' : run.status, run, rejection: undefined, aborted: aborted(), during, late };
    } catch (error) {
      return { end: error instanceof SyncInProgressError ? 'in_progress' : 'rejected', run: null, rejection: error, aborted: aborted(), during, late };
    } finally {
      await this.#settled(simulated);
    }
  }

  /** Waits until the process has nothing in flight, then until neither service is still carrying out a request of it ({@link servicesIdle}). */
  async #settled(simulated: SimulatedProcess): Promise<void> {
    await simulated.settled();
    await servicesIdle(this.sandbox);
  }

  /** Moves the clock on. */
  later(ms: number): void {
    this.#time.now += ms;
  }

  /** An engine living in `simulated` (its store and its `fetch`), whose clients retry `retries` times. */
  #engine(simulated: SimulatedProcess, retries: number, onEvent: (event: SyncEvent) => void) {
    const servers = this.#servers;
    if (servers === undefined) throw new Error('The fault world is not listening: call listen() first.');
    const fetch = simulated.fetch();
    const retryOptions = { retries, minDelayMs: 1, maxDelayMs: 5 };
    const netsuite = createNetSuiteClient({
      accountId: this.sandbox.netsuite.accountId,
      baseUrl: servers.netsuiteUrl,
      auth: tokenBasedAuth({ ...this.sandbox.netsuite.credentials, timestamp: () => Math.floor(this.clock().getTime() / 1000) }),
      retries: retryOptions,
      timeoutMs: TIMEOUT_MS,
      fetch,
      logger: this.#logger,
    });
    const invoiced = createInvoicedClient({ apiKey: this.sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl, retries: retryOptions, timeoutMs: TIMEOUT_MS, fetch, logger: this.#logger });
    return createSyncEngine({
      netsuite,
      invoiced,
      store: simulated.store(this.store),
      connectionId: this.connectionId,
      clock: this.clock,
      settings: this.settings,
      onEvent,
      logger: this.#logger,
    });
  }

  /** Every phase's cursor. */
  async cursors(): Promise<Record<string, string | null>> {
    const entries = await Promise.all(PHASES.map(async (phase) => [phase, await this.store.getCursor(this.connectionId, phase)] as const));
    return Object.fromEntries(entries);
  }

  /**
   * Runs one process as `plan` says; `before` is called right before each of its operations, with its
   * number (where the changing world makes its changes during a run).
   */
  async run(plan: RunPlan, before?: (operation: number) => Promise<void>): Promise<RunOutcome> {
    const { netsuite, invoiced } = this.sandbox;
    if (plan.netsuiteFaults === null) netsuite.faults.clear();
    else netsuite.faults.set(plan.netsuiteFaults);
    if (plan.invoicedFaults === null) invoiced.faults.clear();
    else invoiced.faults.set(plan.invoicedFaults);

    const cursorsBefore = await this.cursors();
    const simulated = new SimulatedProcess(plan.crash, this.journal, before);
    const events: SyncEvent[] = [];
    const controller = new AbortController();
    let records = 0;
    const engine = this.#engine(simulated, plan.retries, (event) => {
      events.push(event);
      if (event.type !== 'record_synced' && event.type !== 'record_skipped' && event.type !== 'record_failed') return;
      records += 1;
      if (plan.abortAfterRecords !== null && records === plan.abortAfterRecords) controller.abort(new Error('aborted by the fault harness'));
    });
    const time = this.clock().toISOString();
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), HUNG_AFTER_MS);
    });
    const settled = await Promise.race([
      engine.sync({ signal: controller.signal }).then(
        (run) => ({ run, rejection: undefined }),
        (rejection: unknown) => ({ run: undefined, rejection }),
      ),
      hung,
    ]);
    clearTimeout(timer);
    if (settled !== 'hung') simulated.ended();
    await this.#settled(simulated);
    netsuite.faults.clear();
    invoiced.faults.clear();

    const end: RunEnd = settled === 'hung' ? 'hung' : simulated.dead ? 'crashed' : settled.run !== undefined ? settled.run.status : 'rejected';
    return {
      plan,
      time,
      end,
      run: settled === 'hung' ? undefined : settled.run,
      rejection: settled === 'hung' ? undefined : settled.rejection,
      diedAt: simulated.diedAt,
      diedHoldingLease: simulated.dead && simulated.leaseHeld,
      aborted: controller.signal.aborted,
      events,
      operations: simulated.operations,
      late: simulated.late,
      cursorsBefore,
      cursorsAfter: await this.cursors(),
    };
  }

  /**
   * Whether a new process is refused the connection's lease. It runs with its signal already aborted, so
   * that, if it got the lease, it would stop before its first phase.
   */
  async leaseRefused(): Promise<boolean> {
    const simulated = new SimulatedProcess(null, this.journal);
    try {
      await this.#engine(simulated, 0, () => undefined).sync({ signal: AbortSignal.abort(new Error('lease probe')) });
      return false;
    } catch (error) {
      if (error instanceof SyncInProgressError) return true;
      throw error;
    } finally {
      await this.#settled(simulated);
    }
  }

  /** Everything in the store for the connection, serialized. */
  async storeDump(): Promise<string> {
    const { store, connectionId } = this;
    const runs = await store.listRuns(connectionId, { limit: 1000, errorsPerRun: 100_000 });
    const links = await Promise.all((['customer', 'invoice', 'payment', 'creditNote'] as const).map((kind) => store.listLinks(connectionId, kind)));
    return safeJson({ runs, links, retries: await store.listRetries(connectionId), cursors: await this.cursors() });
  }
}
