/**
 * What one seed does, drawn from the seed alone (so a seed is the same scenario on every machine): the
 * size of its books, the credentials it uses, the engine's record concurrency, and a plan for each run —
 * the fault plans of both services, how many times the clients retry, and whether the run's process
 * crashes (after a number of store operations and HTTP requests) or is aborted (after a number of
 * records) — and the changes people make to the books before and during those runs (mutations.ts).
 * Runs after the planned ones are clean: no faults, no crash, no abort, the default retries, and the
 * world no longer changes.
 */
import { createRandom, FAULT_KINDS, type FaultKind, type FaultPlan, type GenerateBooksOptions, type Random } from '@invoiced/netsuite-sync-sandbox';
import { describeMutation, mutationPlan, type Mutation } from './mutations';
import type { FaultWorldKind } from './options';
import { describeWebhooks, webhookPlanOf, type WebhookPlan } from './webhooks';

/** How a run's process dies: at its `op`-th store operation or HTTP request, before or after carrying it out. */
export interface CrashPoint {
  /** Which operation: the `op`-th of the process, or the `op`-th of those whose description contains `at`. */
  readonly op: number;
  /** Count only operations like `store.deleteRetry` or `HTTP POST /invoices` (used by pinned plans). */
  readonly at?: string;
  /** `true`: the operation is carried out (a write is saved, a request answered) and the process dies before it sees the result. */
  readonly after: boolean;
}

/** The plan of one run. */
export interface RunPlan {
  /** 1 for the first run. */
  readonly number: number;
  readonly netsuiteFaults: FaultPlan | null;
  readonly invoicedFaults: FaultPlan | null;
  /** Retries of both clients in this run. */
  readonly retries: number;
  readonly crash: CrashPoint | null;
  /** Abort the run's signal once this many records were synced, skipped or failed. */
  readonly abortAfterRecords: number | null;
}

/** Credentials of a seed: distinctive values, looked for everywhere the harness can read. */
export interface Secrets {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly tokenId: string;
  readonly tokenSecret: string;
  readonly apiKey: string;
}

/** Everything a seed does. */
export interface Scenario {
  readonly seed: number;
  readonly books: Omit<GenerateBooksOptions, 'seed'>;
  readonly recordConcurrency: number;
  readonly secrets: Secrets;
  /** The planned runs, with faults, crashes or aborts; later runs are clean. */
  readonly plannedRuns: readonly RunPlan[];
  /** Changes people make to the books, before and during the planned runs. */
  readonly mutations: readonly Mutation[];
  /**
   * Field mappings (faults/mapped-fields.ts): the account has `custbody_po` and `custentity_tier`, the
   * settings map them both ways, some records of the books carry values, and people change them. On unless
   * `FAULT_MAPPINGS=off`; the books themselves are generated the same either way.
   */
  readonly fieldMappings: boolean;
  /**
   * The webhook endpoint and its delivery faults, with inbox runs after each step of changes
   * (faults/webhooks.ts); `null`: none. Drawn, like the deletions on Invoiced among the changes, only with
   * `FAULT_WEBHOOKS` on, from streams of their own: with it off a seed is the scenario it was before.
   */
  readonly webhooks: WebhookPlan | null;
}

/** At most this many runs until a clean run after the planned ones completes (planned runs included). */
export const MAX_RUNS = 10;
/**
 * After that clean run, at most this many more clean runs to converge (a run that writes nothing and
 * whose record errors are those of the run before): the next one may still write payments that waited on
 * a record the one before linked, and import NetSuite invoices that waited on a customer it linked in flow
 * 3 (after flow 1); the one after must write nothing.
 */
export const CONVERGENCE_RUNS = 2;
/** Retries of the clients in clean runs. */
export const CLEAN_RETRIES = 3;
/** Requests of the writes-only fault plans. */
// NetSuite's SuiteQL queries are POSTs too: its writes-only plans leave them alone (the sync writes with PUT upserts).
const NETSUITE_WRITES = ['PUT', 'PATCH', 'DELETE'] as const;
const INVOICED_WRITES = ['POST', 'PATCH', 'DELETE'] as const;

/** What follows a lost answer in a burst; a 500 most often, since a client may react to it by changing its key. */
const BURST_FOLLOWERS: readonly FaultKind[] = ['server_error', 'server_error', 'timeout', 'drop', 'rate_limit', 'lost_response'];

/** A clean run: no faults, no crash, no abort. */
export function cleanRun(number: number): RunPlan {
  return { number, netsuiteFaults: null, invoicedFaults: null, retries: CLEAN_RETRIES, crash: null, abortAfterRecords: null };
}

function hex(random: Random, length: number): string {
  return Array.from({ length }, () => random.int(0, 15).toString(16)).join('');
}

/**
 * A fault plan: every request (rates of a few percent) or only writes (higher rates, where a
 * `lost_response` is a write that was saved), with seeded weights per kind. Timeouts get a smaller
 * share: each one costs the client's whole timeout.
 */
function faultPlan(random: Random, seed: string, writes: readonly string[]): FaultPlan {
  const writesOnly = random.chance(0.4);
  const total = writesOnly ? 0.1 + random.next() * 0.4 : 0.03 + random.next() * 0.17;
  const weights = FAULT_KINDS.map((kind) => {
    const base = 0.2 + random.next();
    if (kind === 'timeout') return base * 0.25;
    if (kind === 'lost_response') return writesOnly ? base * 2 : base;
    return base;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const rates: Partial<Record<FaultKind, number>> = {};
  FAULT_KINDS.forEach((kind, index) => {
    rates[kind] = Math.floor(((weights[index] ?? 0) / sum) * total * 10_000) / 10_000;
  });
  if (!writesOnly) return { seed, rates };
  // Bursts: a write whose answer is lost, and a fault on the very next write (its retry, when records are
  // handled one at a time): the sequences where a client must keep the first attempt's idempotency key.
  const schedule: { request: number; fault: FaultKind }[] = [];
  if (random.chance(0.5)) {
    for (let burst = random.int(1, 2); burst > 0; burst -= 1) {
      const request = random.int(1, 30);
      if (schedule.some((entry) => Math.abs(entry.request - request) <= 1)) continue;
      schedule.push({ request, fault: 'lost_response' }, { request: request + 1, fault: random.pick(BURST_FOLLOWERS) });
    }
  }
  return { seed, rates, ...(schedule.length === 0 ? {} : { schedule }), match: { methods: [...writes] } };
}

function plannedRun(random: Random, seed: number, number: number): RunPlan {
  const crashOnly = random.chance(0.15);
  const netsuiteFaults = !crashOnly && random.chance(0.8) ? faultPlan(random, `${seed}:${number}:netsuite`, NETSUITE_WRITES) : null;
  const invoicedFaults = !crashOnly && random.chance(0.8) ? faultPlan(random, `${seed}:${number}:invoiced`, INVOICED_WRITES) : null;
  const retries = random.pick([0, 1, 2, 3, 3]);
  const crash = crashOnly || random.chance(0.4) ? { op: random.int(1, 250), after: random.chance(0.5) } : null;
  const abortAfterRecords = crash === null && random.chance(0.3) ? random.int(1, 40) : null;
  return { number, netsuiteFaults, invoicedFaults, retries, crash, abortAfterRecords };
}

/**
 * The scenario of a seed in `world`. The changes to the books are drawn from a random stream of their
 * own, so a seed's books, faults, crashes and aborts are the same in both worlds: the static world's
 * scenario is the changing world's without its mutations.
 */
export function scenarioOf(seed: number, world: FaultWorldKind = 'changing', fieldMappings = true, webhooks = true): Scenario {
  const random = createRandom(`netsuite-sync faults ${seed}`);
  const sizes = random.fork('sizes');
  // Credits inside payments, refunds on both sides and Invoiced credit notes in the books: a stream of their
  // own again (forking draws nothing), so that every other draw, and so the rest of the books, is as before.
  const extras = random.fork('refunds');
  const books: Scenario['books'] = {
    customers: sizes.int(3, 8),
    invoices: sizes.int(10, 30),
    payments: sizes.int(3, 14),
    // Credit memos are synced both ways (and the credits payments apply): drawn from a stream of their own,
    // so the other sizes are those of the seeds before credits were synced.
    creditMemos: random.fork('credit memos').pick([0, 1, 2, 3, 4, 6, 8]),
    paymentCredits: extras.pick([0, 0, 0.2, 0.4]),
    customerRefunds: extras.pick([0, 0, 1, 2, 3]),
    invoiced: {
      customers: sizes.int(2, 6),
      invoices: sizes.int(2, 10),
      payments: sizes.int(0, 6),
      draftRatio: sizes.pick([0, 0.25, 0.4]),
      creditNotes: extras.pick([0, 0, 1, 2, 3]),
      processedShare: extras.pick([0, 0.3, 0.6, 1]),
      refunds: extras.pick([0, 1, 2, 3]),
    },
  };
  const secretRandom = random.fork('secrets');
  const secrets: Secrets = {
    consumerKey: `fault-consumer-key-${seed}-${hex(secretRandom, 24)}`,
    consumerSecret: `fault-consumer-secret-${seed}-${hex(secretRandom, 24)}`,
    tokenId: `fault-token-id-${seed}-${hex(secretRandom, 24)}`,
    tokenSecret: `fault-token-secret-${seed}-${hex(secretRandom, 24)}`,
    apiKey: `fault_api_key_${seed}_${hex(secretRandom, 24)}`,
  };
  const plans = random.fork('runs');
  const planned = plans.int(1, 5);
  return {
    seed,
    books,
    // 1 handles records in order (the same requests in the same order on every replay); more interleaves them.
    recordConcurrency: random.fork('concurrency').pick([1, 3, 8, 20]),
    secrets,
    plannedRuns: Array.from({ length: planned }, (_, index) => plannedRun(plans, seed, index + 1)),
    mutations:
      world === 'static'
        ? []
        : mutationPlan(random.fork('mutations'), planned, random.fork('credit mutations'), random.fork('refund mutations'), fieldMappings ? random.fork('mapping mutations') : undefined, webhooks ? random.fork('deletion mutations') : undefined),
    fieldMappings,
    webhooks: webhooks ? webhookPlanOf(random.fork('webhooks')) : null,
  };
}

function describeFaults(plan: FaultPlan | null): string {
  if (plan === null) return 'none';
  const rates = Object.entries(plan.rates ?? {})
    .filter(([, rate]) => rate > 0)
    .map(([kind, rate]) => `${kind} ${(rate * 100).toFixed(1)}%`)
    .join(', ');
  const schedule = (plan.schedule ?? []).map((entry) => `#${entry.request} ${entry.fault}`).join(', ');
  return `${plan.match?.methods === undefined ? 'all requests' : `${plan.match.methods.join('/')} only`}: ${rates}${schedule === '' ? '' : `; scheduled ${schedule}`}`;
}

/** One line per planned run, for a failing seed's message. */
export function describeScenario(scenario: Scenario): string {
  const { books } = scenario;
  const lines = [
    `books: ${books.customers} customers, ${books.invoices} invoices, ${books.payments} payments, ${books.creditMemos} credit memos in NetSuite; ` +
      `${books.invoiced?.customers} customers, ${books.invoiced?.invoices} invoices (draft ratio ${books.invoiced?.draftRatio}), ${books.invoiced?.payments} payments on Invoiced; ` +
      `payment credits ${books.paymentCredits ?? 0}, ${books.customerRefunds ?? 0} customer refunds in NetSuite; ${books.invoiced?.creditNotes ?? 0} credit notes, processed share ${books.invoiced?.processedShare ?? 0}, ${books.invoiced?.refunds ?? 0} refunds on Invoiced; recordConcurrency ${scenario.recordConcurrency}; field mappings ${scenario.fieldMappings ? 'on' : 'off'}`,
    describeWebhooks(scenario.webhooks),
    ...scenario.plannedRuns.map(
      (run) =>
        `run ${run.number}: NetSuite faults ${describeFaults(run.netsuiteFaults)}; Invoiced faults ${describeFaults(run.invoicedFaults)}; retries ${run.retries}` +
        (run.crash === null ? '' : `; crash at ${run.crash.at === undefined ? 'operation' : `${run.crash.at} number`} ${run.crash.op} (${run.crash.after ? 'after' : 'before'} carrying it out)`) +
        (run.abortAfterRecords === null ? '' : `; abort after ${run.abortAfterRecords} records`),
    ),
    ...scenario.mutations.map((mutation) => `change ${mutation.index + 1}: ${describeMutation(mutation)}`),
    `runs ${scenario.plannedRuns.length + 1} to ${MAX_RUNS}: clean, until one completes; then clean runs until one writes nothing and reports the same record errors as the run before (at most ${CONVERGENCE_RUNS} more)`,
  ];
  return lines.join('\n');
}
