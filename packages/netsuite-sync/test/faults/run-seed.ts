/**
 * One seed, start to end: load its books, run its planned runs (faults, crashes, aborts) while people
 * change the books before and during them (in the changing world; in the static world they never do), then — the world no longer changing — clean runs until one
 * completes (at most {@link MAX_RUNS} in all), check the state, run once more cleanly and check that this
 * run created nothing but records that were waiting on one the run before linked (payments, and NetSuite
 * invoices whose customer flow 3 linked after flow 1 had tried them), then clean runs
 * until one converges (writes nothing, and reports the record errors of the run before), at most
 * {@link CONVERGENCE_RUNS} after the first, and check the state again, strictly, and that no run is left
 * `running`. Then look for the seed's credentials in everything readable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FaultKind, Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { checkEnd, checkRun, checkState, type SeedContext } from './invariants';
import { WorldLedger } from './ledger';
import { driftMark, driftProblems, type DriftMark } from './mapping-checks';
import { applyMutation } from './mutate';
import type { MutationResult } from './mutations';
import { replayCommand, type FaultWorldKind } from './options';
import { safeJson } from './process';
import { cleanRun, CONVERGENCE_RUNS, describeScenario, MAX_RUNS, scenarioOf, type Scenario } from './scenario';
import { findLeaks } from './secrets';
import { readState, type WorldState } from './state';
import { pendingAbortOf, pendingProblems, webhookProblems, type PendingOutcome } from './webhooks';
import { BETWEEN_RUNS_MS, FaultWorld, LEASE_TTL_MS, type RunEnd, type RunOutcome } from './world';

/** What one seed did. */
export interface SeedStats {
  /** Every run, up to the one that converged. */
  readonly runs: number;
  /** Clean runs after the planned ones, up to the one that converged. */
  readonly cleanRuns: number;
  /** The world's changes by kind and outcome (`ns_invoice_pay_full:applied`). */
  readonly mutations: Readonly<Record<string, number>>;
  readonly ends: Readonly<Partial<Record<RunEnd, number>>>;
  /** Processes that died at their crash point. */
  readonly crashes: number;
  /** Of those, the ones that died holding the lease. */
  readonly crashesHoldingLease: number;
  readonly aborts: number;
  readonly faults: Readonly<Record<'netsuite' | 'invoiced', Partial<Record<FaultKind, number>>>>;
  readonly requests: Readonly<Record<'netsuite' | 'invoiced', number>>;
  /** Records created by the sync, on both sides. */
  readonly created: number;
  /** Records the books deliberately make fail, still reported at the end. */
  readonly deliberateFailures: number;
  /** Codes of the record errors of every run, with how often each was reported. */
  readonly recordErrorCodes: Readonly<Record<string, number>>;
  /** Codes of the runs that failed. */
  readonly runErrorCodes: Readonly<Record<string, number>>;
  /** The non-zero `*_created`, `*_updated` and `*_linked` counts of the last run (none when it converged). */
  readonly extraRunWrites: Readonly<Record<string, number>>;
  /** Inbox runs (`syncPending()`) by how they ended (`nothing`, `in_progress`, `succeeded`...). */
  readonly pendingRuns: Readonly<Record<string, number>>;
  /** Webhook deliveries by what happened (`ok`, `drop`, `duplicate`, `reorder`, `failed`). */
  readonly deliveries: Readonly<Record<string, number>>;
  readonly ms: number;
}

/** The result of one seed. */
export interface SeedResult {
  readonly seed: number;
  /** The command that replays it. */
  readonly replay: string;
  readonly violations: readonly string[];
  readonly stats: SeedStats;
  /** The scenario, for a failing seed's message. */
  readonly scenario: Scenario;
  /** What each run did, one line each. */
  readonly history: readonly string[];
}

function completed(outcome: RunOutcome): boolean {
  return outcome.end === 'succeeded' || outcome.end === 'partial';
}

function injected(sandbox: Sandbox, service: 'netsuite' | 'invoiced'): Partial<Record<FaultKind, number>> {
  const counts: Partial<Record<FaultKind, number>> = {};
  for (const entry of sandbox[service].faults.injected) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
  return counts;
}

function historyLine(outcome: RunOutcome): string {
  const error = outcome.run?.error;
  const counts = Object.entries(outcome.run?.counts ?? {})
    .filter(([name, count]) => count > 0 && /_(created|updated|linked|failed)$/.test(name))
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return (
    `run ${outcome.plan.number} at ${outcome.time}: ${outcome.end}` +
    (outcome.diedAt === undefined ? '' : ` (died at ${outcome.diedAt}${outcome.diedHoldingLease ? ', holding the lease' : ''})`) +
    (error === null || error === undefined ? '' : ` ${error.code}: ${error.message}`) +
    (outcome.rejection === undefined || outcome.diedAt !== undefined ? '' : ` rejected: ${safeJson(outcome.rejection).slice(0, 300)}`) +
    ` after ${outcome.operations} operations${counts === '' ? '' : `; ${counts}`}`
  );
}

/**
 * The Invoiced customers that `first` linked in flow 3 (Invoiced to NetSuite), by the NetSuite customer
 * each was linked to. Flow 1 ran before that link in the same run: a NetSuite invoice of that customer that
 * was waiting (for one, on the name it shares with more than one Invoiced customer) is imported through
 * the link only by the next run.
 */
function linkedByFlow3(first: RunOutcome): Map<string, string> {
  const linked = new Map<string, string>();
  for (const event of first.events) {
    if (event.type === 'record_synced' && event.entity === 'customer' && event.direction === 'invoiced_to_netsuite') linked.set(event.targetId, event.sourceId);
  }
  return linked;
}

/**
 * Whether an Invoiced invoice the extra run created is the import of a NetSuite invoice that was waiting,
 * for the Invoiced customer that flow 3 of the run before linked to the NetSuite invoice's customer.
 */
function waitedOnFlow3Link(id: string, after: WorldState, waiting: ReadonlySet<string>, linked: ReadonlyMap<string, string>): boolean {
  const invoice = after.invoiced.invoices.get(id);
  if (invoice?.netsuiteId === undefined || !waiting.has(`netsuite_to_invoiced:invoice:${invoice.netsuiteId}`)) return false;
  const source = after.netsuite.invoices.get(invoice.netsuiteId);
  return source !== undefined && linked.get(source.customer) === invoice.customer;
}

/**
 * The run after the first completed one creates no customer on either side, no NetSuite invoice, no
 * Invoiced invoice but the imports of NetSuite invoices that were waiting on a customer the run before
 * linked in flow 3 (after flow 1 had tried them), and no payment but those that were waiting (on a record
 * the run before linked).
 */
function extraRunProblems(first: RunOutcome, extra: RunOutcome, before: WorldState, after: WorldState, waiting: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const linked = linkedByFlow3(first);
  for (const [side, kind] of [['invoiced', 'invoices'], ['invoiced', 'customers'], ['netsuite', 'invoices'], ['netsuite', 'customers']] as const) {
    const added = [...after[side][kind].keys()].filter((id) => !before[side][kind].has(id) && !(side === 'invoiced' && kind === 'invoices' && waitedOnFlow3Link(id, after, waiting, linked)));
    if (added.length > 0) problems.push(`the extra clean run ${extra.plan.number} created ${side} ${kind} ${added.join(', ')} though the run before completed`);
  }
  for (const payment of after.invoiced.payments.values()) {
    if (before.invoiced.payments.has(payment.id)) continue;
    const source = payment.reference?.slice('NS-PAY-'.length) ?? '';
    if (!waiting.has(`netsuite_to_invoiced:payment:${source}`)) problems.push(`the extra clean run created Invoiced payment #${payment.id} (${payment.reference}), which was not waiting`);
  }
  for (const payment of after.netsuite.payments.values()) {
    if (before.netsuite.payments.has(payment.id)) continue;
    const source = payment.externalId?.slice('invd-pay-'.length) ?? '';
    if (!waiting.has(`invoiced_to_netsuite:payment:${source}`)) problems.push(`the extra clean run created NetSuite payment ${payment.id} (${payment.externalId}), which was not waiting`);
  }
  return problems;
}

function changeLine(result: MutationResult): string {
  const { mutation } = result;
  return `change ${mutation.index + 1} (${mutation.kind}, ${mutation.op === null ? `before run ${mutation.run}` : `run ${mutation.run} op ${mutation.op}`}): ${result.outcome === 'none' ? 'nothing to change' : result.detail.replaceAll('\u0000', '\\0')}`;
}

/** Runs one seed in `world` (`static`: the books never change), with field mappings or not, webhooks or not; with `traceDir`, writes its trace there. */
export function runSeed(seed: number, world: FaultWorldKind, traceDir?: string, mappings = true, webhooks = true): Promise<SeedResult> {
  return runScenario(scenarioOf(seed, world, mappings, webhooks), replayCommand(seed, world, mappings, webhooks), traceDir === undefined ? undefined : join(traceDir, `seed-${seed}.txt`));
}

/**
 * Runs one scenario (a seed's, or a pinned plan); `replay` is the command that runs it again. With
 * `traceFile`, everything the harness saw is written there: each run's events and result, the logs, the
 * store's writes and rows, and both services' records.
 */
export async function runScenario(scenario: Scenario, replay: string, traceFile?: string): Promise<SeedResult> {
  const started = performance.now();
  const world = new FaultWorld(scenario);
  await world.listen();
  try {
    return await playSeed(world, started, replay, traceFile);
  } finally {
    await world.close();
  }
}

function writeTrace(file: string, texts: readonly (readonly [string, string])[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, texts.map(([title, text]) => `===== ${title}\n${text}\n`).join('\n'));
}

/** Whether a run wrote anything to either service (or linked a record). */
function wrote(outcome: RunOutcome): number {
  return outcome.events.filter((event) => event.type === 'record_synced').length;
}

/** The record errors of a run, as `direction:entity:sourceId:code`, sorted. */
function errorSet(outcome: RunOutcome): string {
  return JSON.stringify([...new Set((outcome.run?.recordErrors ?? []).map((error) => `${error.direction}:${error.entity}:${error.sourceId}:${error.code}`))].sort());
}

/**
 * Whether `outcome` is where the runs converged: a clean run that completed, wrote nothing, and reported
 * the same record errors as the run before it.
 */
function converged(outcome: RunOutcome, before: RunOutcome): boolean {
  return completed(outcome) && wrote(outcome) === 0 && errorSet(outcome) === errorSet(before);
}

async function playSeed(world: FaultWorld, started: number, replay: string, traceFile: string | undefined): Promise<SeedResult> {
  const { scenario } = world;
  const { seed } = scenario;
  const ledger = new WorldLedger(readState(world.sandbox));
  const context: SeedContext = { world, ledger };
  const violations: string[] = [];
  const outcomes: RunOutcome[] = [];
  const texts: [string, string][] = [];
  const fired = new Set<number>();
  // Each run's starting point for mapped fields: the run that converged must change none (mapping-checks.ts).
  const marks = new Map<number, DriftMark>();
  const pendings: PendingOutcome[] = [];
  // With a webhook endpoint: once a step's changes are made, their deliveries settle, then an inbox run
  // (refused with SyncInProgressError when a planned run holds the lease: tolerated).
  const inboxRun = async (run: number, op: number | null, during: boolean) => {
    const plan = scenario.webhooks;
    if (plan === null) return;
    await world.sandbox.invoiced.webhooks.idle();
    const outcome = await world.pending(pendingAbortOf(seed, plan, run, op), during);
    pendings.push(outcome);
    violations.push(...pendingProblems(outcome, `the inbox run after the changes ${op === null ? `before run ${run}` : `at run ${run} op ${op}`}`));
    texts.push([`the inbox run after the changes ${run}:${op ?? 'before'}`, safeJson(outcome.run ?? outcome.rejection ?? null)]);
  };
  const due = async (run: number, op: number | null, during = op !== null) => {
    let changed = false;
    for (const mutation of scenario.mutations) {
      if (mutation.run !== run || mutation.op !== op || fired.has(mutation.index)) continue;
      fired.add(mutation.index);
      await applyMutation(world, ledger, mutation);
      changed = true;
    }
    if (changed) await inboxRun(run, op, during);
  };

  const runOnce = async (number: number): Promise<RunOutcome> => {
    world.later(BETWEEN_RUNS_MS);
    // Every delivery of the changes so far has reached the inbox (or was dropped) before a run starts.
    if (scenario.webhooks !== null) await world.sandbox.invoiced.webhooks.idle();
    const changing = scenario.mutations.some((mutation) => mutation.run === number);
    if (changing) await due(number, null);
    marks.set(number, driftMark(world));
    const outcome = await world.run(scenario.plannedRuns[number - 1] ?? cleanRun(number), changing ? (op) => due(number, op) : undefined);
    // Changes planned after the process's last operation (it ended or died before) happen once it has stopped.
    for (const mutation of scenario.mutations) if (mutation.run === number && mutation.op !== null) await due(number, mutation.op, false);
    outcomes.push(outcome);
    violations.push(...checkRun(outcome));
    texts.push([`the events of run ${number}`, safeJson(outcome.events)], [`the result of run ${number}`, safeJson(outcome.run ?? null)]);
    if (outcome.rejection !== undefined) texts.push([`the rejection of run ${number}`, safeJson(outcome.rejection)]);
    if (outcome.diedHoldingLease) {
      // A crashed holder keeps the lease until it expires: a new process is refused until then.
      if (!(await world.leaseRefused())) violations.push(`run ${number} died holding the lease, yet a new process got it before it expired`);
      world.later(LEASE_TTL_MS + 1000);
    }
    return outcome;
  };

  // The world changes up to the last planned run; the first run to check is a completed run after that.
  const stillChanging = Math.max(0, ...scenario.mutations.map((mutation) => mutation.run));
  let first: RunOutcome | undefined;
  for (let number = 1; number <= MAX_RUNS; number += 1) {
    const outcome = await runOnce(number);
    if (number >= scenario.plannedRuns.length && number > stillChanging && completed(outcome)) {
      first = outcome;
      break;
    }
  }
  let last: RunOutcome | undefined;
  if (first === undefined) {
    violations.push(`no run completed in ${MAX_RUNS} runs`);
  } else {
    violations.push(...(await checkState(context, first, false)).map((violation) => `after run ${first?.plan.number}, which completed: ${violation}`));
    const waiting = new Set((await world.store.listRetries(world.connectionId)).map((item) => item.key));
    const before = readState(world.sandbox);
    const extra = await runOnce(first.plan.number + 1);
    if (!completed(extra)) {
      violations.push(`the extra clean run ${extra.plan.number} did not complete: ${extra.end}`);
    } else {
      violations.push(...extraRunProblems(first, extra, before, readState(world.sandbox), waiting));
      // Then clean runs until one converges: writes nothing, and reports the record errors of the run before.
      let previous = first;
      let current = extra;
      for (let more = 1; !converged(current, previous) && more < CONVERGENCE_RUNS; more += 1) {
        previous = current;
        current = await runOnce(current.plan.number + 1);
      }
      if (converged(current, previous)) {
        last = current;
        const mark = marks.get(current.plan.number);
        if (mark !== undefined) violations.push(...driftProblems(world, mark, current).map((problem) => `after the last run ${current.plan.number}, which converged: ${problem}`));
      }
      else violations.push(`the runs did not converge: clean run ${current.plan.number}, ${CONVERGENCE_RUNS} after run ${first.plan.number}, ended ${current.end} and wrote ${wrote(current)} records (record errors ${errorSet(current) === errorSet(previous) ? 'the same' : 'changed'})`);
    }
    const checked = last ?? outcomes.at(-1);
    if (checked !== undefined && completed(checked)) {
      violations.push(...(await checkState(context, checked, true)).map((violation) => `after the last run ${checked.plan.number}${last === undefined ? '' : ', which converged'}: ${violation}`));
    }
    violations.push(...(await checkEnd(context)).map((violation) => `at the end: ${violation}`));
    violations.push(...(await webhookProblems(world, ledger, world.webhooks, last !== undefined)).map((violation) => `after the last run: ${violation}`));
  }

  texts.push(
    ['the logs', world.logs.join('\n')],
    ['the store writes', world.journal.join('\n')],
    ['the store', await world.storeDump()],
    ['the Invoiced records', safeJson((['customers', 'invoices', 'payments'] as const).map((resource) => world.sandbox.invoiced.state.list(resource)))],
    ['the NetSuite records', safeJson((['customer', 'invoice', 'customerPayment'] as const).map((type) => world.sandbox.netsuite.state.list(type)))],
  );
  violations.push(...findLeaks(scenario.secrets, texts));
  if (traceFile !== undefined) writeTrace(traceFile, [['violations', violations.join('\n')], ...texts]);

  const ends: Partial<Record<RunEnd, number>> = {};
  const recordErrorCodes: Record<string, number> = {};
  const runErrorCodes: Record<string, number> = {};
  for (const outcome of outcomes) {
    ends[outcome.end] = (ends[outcome.end] ?? 0) + 1;
    for (const error of outcome.run?.recordErrors ?? []) recordErrorCodes[error.code] = (recordErrorCodes[error.code] ?? 0) + 1;
    const runError = outcome.run?.error;
    if (outcome.end === 'failed' && runError !== null && runError !== undefined) runErrorCodes[runError.code] = (runErrorCodes[runError.code] ?? 0) + 1;
  }
  const pendingRuns: Record<string, number> = {};
  for (const outcome of pendings) pendingRuns[outcome.aborted && outcome.end === 'cancelled' ? 'aborted' : outcome.end] = (pendingRuns[outcome.aborted && outcome.end === 'cancelled' ? 'aborted' : outcome.end] ?? 0) + 1;
  const deliveries: Record<string, number> = {};
  if (scenario.webhooks !== null) {
    for (const delivery of world.sandbox.invoiced.webhooks.deliveries()) {
      const kind = delivery.fault ?? (delivery.ok ? 'ok' : 'failed');
      deliveries[kind] = (deliveries[kind] ?? 0) + 1;
    }
  }
  const finalRun = outcomes.at(-1);
  const extraRunWrites = Object.fromEntries(Object.entries(finalRun?.run?.counts ?? {}).filter(([name, count]) => count > 0 && /_(created|updated|linked)$/.test(name)));
  const final = readState(world.sandbox);
  const { baseline } = ledger;
  const mutations: Record<string, number> = {};
  for (const result of ledger.results) mutations[`${result.mutation.kind}:${result.outcome}`] = (mutations[`${result.mutation.kind}:${result.outcome}`] ?? 0) + 1;
  const created =
    (['customers', 'invoices', 'payments'] as const).reduce((sum, kind) => sum + [...final.invoiced[kind].keys()].filter((id) => !baseline.invoiced[kind].has(id)).length, 0) +
    (['customers', 'invoices', 'payments'] as const).reduce((sum, kind) => sum + [...final.netsuite[kind].keys()].filter((id) => !baseline.netsuite[kind].has(id)).length, 0);
  return {
    seed,
    replay,
    violations,
    scenario,
    history: [...outcomes.map(historyLine), ...ledger.results.map(changeLine)],
    stats: {
      runs: outcomes.length,
      cleanRuns: outcomes.filter((outcome) => outcome.plan.number > scenario.plannedRuns.length).length,
      mutations,
      ends,
      crashes: outcomes.filter((outcome) => outcome.diedAt !== undefined).length,
      crashesHoldingLease: outcomes.filter((outcome) => outcome.diedHoldingLease).length,
      aborts: outcomes.filter((outcome) => outcome.aborted).length,
      faults: { netsuite: injected(world.sandbox, 'netsuite'), invoiced: injected(world.sandbox, 'invoiced') },
      requests: { netsuite: world.sandbox.netsuite.requests.length, invoiced: world.sandbox.invoiced.requests.length },
      created,
      deliberateFailures: finalRun?.run?.recordErrors.length ?? 0,
      recordErrorCodes,
      runErrorCodes,
      extraRunWrites,
      pendingRuns,
      deliveries,
      ms: Math.round(performance.now() - started),
    },
  };
}

/**
 * A seed's books synced with no fault, crash or abort: one run, then the extra run; for checking that
 * the checks see a world someone tampered with. `close` stops its servers.
 */
export async function syncCleanly(seed: number): Promise<{ context: SeedContext; last: RunOutcome; close: () => Promise<void> }> {
  const world = new FaultWorld({ ...scenarioOf(seed), plannedRuns: [], mutations: [], webhooks: null });
  await world.listen();
  const context: SeedContext = { world, ledger: new WorldLedger(readState(world.sandbox)) };
  let last: RunOutcome | undefined;
  for (const number of [1, 2]) {
    world.later(BETWEEN_RUNS_MS);
    last = await world.run(cleanRun(number));
    if (!completed(last)) {
      await world.close();
      throw new Error(`clean run ${number} of seed ${seed} ended ${last.end}`);
    }
  }
  if (last === undefined) throw new Error('no run');
  return { context, last, close: () => world.close() };
}

/** The message of a failing seed: what went wrong, its plan, what each run did, and how to replay it. */
export function describeFailure(result: SeedResult, maxViolations = 12): string {
  // The state after the runs first: what is wrong in the books matters more than how a run reported it.
  const ordered = [...result.violations.filter((violation) => violation.startsWith('after ')), ...result.violations.filter((violation) => !violation.startsWith('after '))];
  const shown = ordered.slice(0, maxViolations);
  const more = result.violations.length - shown.length;
  return [
    `seed ${result.seed} — replay: ${result.replay}`,
    ...shown.map((violation) => `  ✗ ${violation}`),
    ...(more > 0 ? [`  … and ${more} more`] : []),
    '  plan:',
    ...describeScenario(result.scenario)
      .split('\n')
      .map((line) => `    ${line}`),
    '  what happened:',
    ...result.history.map((line) => `    ${line}`),
  ].join('\n');
}
