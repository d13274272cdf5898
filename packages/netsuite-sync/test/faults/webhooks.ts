/**
 * Webhooks in the fault harness (docs/reliability.md, "Webhooks"). For a share of the seeds (with
 * `FAULT_WEBHOOKS` on, the default) the sandbox's Invoiced has a webhook endpoint: the real handler of
 * `@invoiced/netsuite-sync/webhooks` (`createInvoicedWebhookHandler`, through its `toNodeListener` adapter)
 * served on a loopback port, since the harness serves the sandbox on real sockets, not msw. The sandbox
 * signs and POSTs every event (the people's changes and the sync's own writes alike) with seeded delivery
 * faults: deliveries dropped (never sent, never retried), sent twice, or held back so that later events
 * overtake them. The handler fills the store's inbox; after each step of changes the harness waits for the
 * deliveries to settle and runs `engine.syncPending()` in a new process — sometimes aborted through its
 * signal, and, during a planned run, refused with `SyncInProgressError` (the run holds the lease), which is
 * tolerated. The end checks: no inbox event left pending after the last run, no record twice, each
 * deletion on Invoiced followed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRandom, type Random } from '@invoiced/netsuite-sync-sandbox';
import type { SyncRun, SyncStore } from '../../src/index';
import { createInvoicedWebhookHandler, toNodeListener } from '../../src/webhooks';
import type { WorldLedger } from './ledger';
import { VOID_CODES } from './check-support';
import { readState } from './state';
import type { FaultWorld } from './world';

/** The webhook side of a seed's scenario. */
export interface WebhookPlan {
  /** Probability that a delivery is dropped (never sent, never retried). */
  readonly drop: number;
  /** Probability that a delivery is sent twice. */
  readonly duplicate: number;
  /** Probability that a delivery is held back 0 to `reorderMaxMs` ms, so that later ones overtake it. */
  readonly reorder: number;
  readonly reorderMaxMs: number;
  /** Probability that an inbox run is aborted (after 0 to 6 records). */
  readonly abort: number;
}

/** Share of the seeds with a webhook endpoint (the others, with `FAULT_WEBHOOKS` on, still have deletions). */
export const WEBHOOK_SHARE = 0.35;

/** The webhook plan of a seed, from its own random stream (`null`: no endpoint). */
export function webhookPlanOf(random: Random): WebhookPlan | null {
  if (!random.chance(WEBHOOK_SHARE)) return null;
  return {
    drop: random.pick([0, 0, 0.05, 0.2]),
    duplicate: random.pick([0, 0.1, 0.3]),
    reorder: random.pick([0, 0.2, 0.5]),
    reorderMaxMs: random.int(2, 20),
    abort: random.pick([0, 0.25, 0.5]),
  };
}

/** One line for a failing seed's message. */
export function describeWebhooks(plan: WebhookPlan | null): string {
  if (plan === null) return 'webhooks: none';
  const percent = (rate: number) => `${Math.round(rate * 100)}%`;
  return `webhooks: drop ${percent(plan.drop)}, duplicate ${percent(plan.duplicate)}, reorder ${percent(plan.reorder)} up to ${plan.reorderMaxMs} ms; inbox runs aborted ${percent(plan.abort)}`;
}

/**
 * Whether the inbox run after the changes of step `run`/`op` is aborted, and after how many records (0:
 * before it starts). Drawn from a stream of the step's own, so replays abort the same runs.
 */
export function pendingAbortOf(seed: number, plan: WebhookPlan, run: number, op: number | null): number | null {
  const random = createRandom(`netsuite-sync faults ${seed} inbox run ${run}:${op ?? 'before'}`);
  return random.chance(plan.abort) ? random.int(0, 6) : null;
}

/** The receiving end of a seed's webhooks: the handler on a loopback port, registered on the sandbox. */
export interface WebhookReceiver {
  /** The endpoint's secret (looked for in the logs afterwards). */
  readonly secret: string;
  close(): Promise<void>;
}

/** Serves the webhook handler for `world`'s connection and registers it on the sandbox with `plan`'s faults. */
export async function startWebhooks(
  world: { sandbox: FaultWorld['sandbox']; store: SyncStore; connectionId: string; clock: () => Date; seed: number },
  plan: WebhookPlan,
  logger: NonNullable<Parameters<typeof createInvoicedWebhookHandler>[0]['logger']>,
): Promise<WebhookReceiver> {
  // The handler needs the secret before the server has a port (and so before the endpoint exists): drawn here.
  const random = createRandom(`netsuite-sync faults ${world.seed} webhook secret`);
  const secret = `whsec${Array.from({ length: 27 }, () => random.pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'])).join('')}`;
  const handler = createInvoicedWebhookHandler({ secret, connectionId: world.connectionId, store: world.store, clock: world.clock, logger });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { webhooks } = world.sandbox.invoiced;
  webhooks.add({ url: `http://127.0.0.1:${port}/invoiced/webhook`, secret });
  webhooks.faults({ seed: `${world.seed}:webhooks`, drop: plan.drop, duplicate: plan.duplicate, reorder: plan.reorder, reorderMs: { min: 0, max: plan.reorderMaxMs } });
  return {
    secret,
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What one inbox run (`engine.syncPending()`) did. */
export interface PendingOutcome {
  /** `nothing`: nothing pending, no run; `in_progress`: refused with SyncInProgressError; `rejected`: any other rejection. */
  readonly end: SyncRun['status'] | 'nothing' | 'in_progress' | 'rejected';
  readonly run: SyncRun | null;
  readonly rejection: unknown;
  readonly aborted: boolean;
  /** Whether it ran during a planned run (whose faults were set), not between runs. */
  readonly during: boolean;
  /** What its process still did once `syncPending()` had settled (see `SimulatedProcess.late`). */
  readonly late: readonly string[];
}

/** Problems of one inbox run: a rejection other than SyncInProgressError, a run cancelled with no abort, one that failed with no fault. */
export function pendingProblems(outcome: PendingOutcome, label: string): string[] {
  const problems: string[] = [];
  if (outcome.end === 'rejected') problems.push(`${label}: syncPending() rejected: ${outcome.rejection instanceof Error ? `${outcome.rejection.name}: ${outcome.rejection.message}` : String(outcome.rejection)}`);
  if (outcome.end === 'cancelled' && !outcome.aborted) problems.push(`${label}: syncPending() was cancelled though nothing aborted it`);
  if (outcome.end === 'failed' && !outcome.during) problems.push(`${label}: syncPending() failed with no fault injected: ${outcome.run?.error?.code ?? ''} ${outcome.run?.error?.message ?? ''}`);
  if (outcome.end === 'running') problems.push(`${label}: syncPending() resolved a run still running`);
  for (const what of outcome.late) problems.push(`${label}: its process went on after syncPending() settled: ${what}`);
  return problems;
}

function twice(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

/**
 * The end checks of webhooks and deletions, after the runs converged: no NetSuite record twice by external
 * ID, no Invoiced payment or document of the sync twice, each deletion on Invoiced followed (the NetSuite
 * copy gone, or a retry item with the void's record error), and, with an endpoint: every delivery settled,
 * no inbox event left pending, the secret in no log line.
 */
export async function webhookProblems(world: FaultWorld, ledger: WorldLedger, receiver: WebhookReceiver | undefined, converged: boolean): Promise<string[]> {
  const problems: string[] = [];
  const now = readState(world.sandbox);
  for (const [what, records] of [
    ['NetSuite invoices', now.netsuite.invoices],
    ['NetSuite payments', now.netsuite.payments],
    ['NetSuite credit memos', now.netsuite.creditMemos],
    ['NetSuite customers', now.netsuite.customers],
  ] as const) {
    for (const externalId of twice([...records.values()].map((record) => record.externalId))) problems.push(`${what}: external ID ${externalId} more than once`);
  }
  for (const reference of twice([...now.invoiced.payments.values()].filter((payment) => !payment.voided).map((payment) => payment.reference).filter((reference) => /^NS-(PAY|CM)-/.test(reference ?? ''))))
    problems.push(`Invoiced payment ${reference} more than once`);
  for (const [what, records] of [
    ['Invoiced invoices', now.invoiced.invoices],
    ['Invoiced credit notes', now.invoiced.creditNotes],
  ] as const) {
    for (const netsuiteId of twice([...records.values()].map((record) => record.netsuiteId))) problems.push(`${what}: NetSuite ID ${netsuiteId} more than once`);
  }
  const retries = new Map((await world.store.listRetries(world.connectionId)).map((item) => [item.key, item]));
  for (const key of ledger.deletedOnInvoiced) {
    const [entity, id] = key.split(':') as ['invoice' | 'creditNote', string];
    const externalId = `invd-${entity === 'invoice' ? 'inv' : 'cn'}-${id}`;
    const copy = [...(entity === 'invoice' ? now.netsuite.invoices : now.netsuite.creditMemos).values()].find((record) => record.externalId === externalId);
    const item = retries.get(`invoiced_to_netsuite:${entity}:${id}`);
    if (copy !== undefined && (item === undefined || item.status === 'ignored' || !VOID_CODES.has(item.lastError.code))) {
      problems.push(`Invoiced ${entity} #${id} was deleted on Invoiced, but its NetSuite copy ${copy.id} (${externalId}) is still there and no record error says why`);
    }
  }
  // The inbox (webhooks, and the deletions phase invoiced_events found): the last run took every event.
  if (converged) {
    const pending = await world.store.listPendingEvents(world.connectionId, { limit: 1000 });
    if (pending.length > 0) problems.push(`${pending.length} inbox events still pending after the last run: ${pending.slice(0, 5).map((event) => `${event.id} ${event.type} #${event.sourceId}`).join(', ')}`);
  }
  if (receiver !== undefined) {
    await world.sandbox.invoiced.webhooks.flush();
    const failed = world.sandbox.invoiced.webhooks.deliveries().filter((delivery) => !delivery.ok && delivery.fault !== 'drop');
    for (const delivery of failed.slice(0, 3)) problems.push(`webhook delivery of event ${delivery.eventId} (${delivery.eventType}) answered ${delivery.status ?? delivery.error ?? 'nothing'}`);
    if (world.logs.some((line) => line.includes(receiver.secret))) problems.push('the webhook secret is in a log line');
  }
  return problems;
}
