/**
 * `pnpm bench:realtime`'s figures: percentiles, the checks on what reached NetSuite, and the printed table.
 */
import type { Sandbox } from '@invoiced/netsuite-sync-sandbox';
import type { LatencyProfile } from '#bench/latency';
import type { Variant } from '#bench/realtime-flags';
import type { RunProfile } from '#bench/realtime-probe';

/** One payment recorded on Invoiced, and when each step happened (`performance.now()` ms). */
export interface PaymentTrace {
  readonly index: number;
  /** Invoiced ID, once the create answered. */
  id: number;
  readonly amount: number;
  readonly invoicedInvoice: number;
  readonly netsuiteInvoice: string;
  /** The create request was sent / answered. */
  sentAt: number;
  answeredAt: number;
  /** The webhook handler accepted its `payment.*` event (first time). */
  acceptedAt: number | null;
  /** The engine reported it written (`record_synced`). */
  syncedAt: number | null;
  /** The bench saw its customer payment in NetSuite (polling every 10 ms). */
  seenAt: number | null;
  /** Seen only after the catch-up sync. */
  byCatchUp: boolean;
}

/** Nearest-rank percentile of a list, `null` for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** p50, p95, max and mean of a list of durations (ms, rounded). */
export function summary(values: readonly number[]) {
  const r = (value: number | null) => (value === null ? null : Math.round(value));
  return { n: values.length, p50: r(percentile(values, 50)), p95: r(percentile(values, 95)), max: r(percentile(values, 100)), mean: values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length) };
}

/** What NetSuite held before the payments: its customer payments, and what each paid invoice had due. */
export interface NetSuiteBefore {
  readonly customerPayments: number;
  readonly amountDue: ReadonlyMap<string, number>;
}

const customerPayments = (sandbox: Sandbox) => Number(sandbox.netsuite.state.query("SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustPymt'")[0]?.n ?? 0);
const amountDue = (sandbox: Sandbox, invoice: string) => Number(sandbox.netsuite.state.get('invoice', invoice)?.amountRemaining);

/** Notes what {@link checkNetSuite} compares with, before the payments are recorded. */
export function netsuiteBefore(sandbox: Sandbox, invoices: readonly string[]): NetSuiteBefore {
  return { customerPayments: customerPayments(sandbox), amountDue: new Map(invoices.map((invoice) => [invoice, amountDue(sandbox, invoice)])) };
}

/**
 * Checks that every payment is in NetSuite once: its customer payment (`invd-pay-<id>`) exists, for its
 * amount, applied to its invoice alone; NetSuite has exactly one customer payment more per payment (a copy
 * under another external ID would be one more), and each invoice's amount due fell by its payment's amount
 * once (each payment pays an invoice of its own).
 */
export function checkNetSuite(sandbox: Sandbox, payments: readonly PaymentTrace[], before: NetSuiteBefore) {
  const state = sandbox.netsuite.state;
  const problems: string[] = [];
  let once = 0;
  for (const payment of payments) {
    const externalId = `invd-pay-${payment.id}`;
    const record = state.findByExternalId('customerPayment', externalId);
    if (record === undefined) {
      problems.push(`${externalId}: not in NetSuite`);
      continue;
    }
    const links = state.query(`SELECT previousdoc, foreignamount FROM NextTransactionLineLink WHERE nextdoc = ${Number(record.id)}`);
    const due = (before.amountDue.get(payment.netsuiteInvoice) ?? Number.NaN) - payment.amount;
    if (Number(record.payment) !== payment.amount) problems.push(`${externalId}: amount ${String(record.payment)}, expected ${payment.amount}`);
    else if (links.length !== 1 || String(links[0]?.previousdoc) !== payment.netsuiteInvoice || Number(links[0]?.foreignamount) !== payment.amount) {
      problems.push(`${externalId}: applied ${JSON.stringify(links)}, expected ${payment.amount} to invoice ${payment.netsuiteInvoice}`);
    } else if (Math.abs(amountDue(sandbox, payment.netsuiteInvoice) - due) > 0.005) {
      problems.push(`${externalId}: invoice ${payment.netsuiteInvoice} has ${amountDue(sandbox, payment.netsuiteInvoice)} due, expected ${Math.round(due * 100) / 100}`);
    } else once += 1;
  }
  const added = customerPayments(sandbox) - before.customerPayments;
  if (added !== payments.length) problems.push(`NetSuite has ${added} customer payments more, for ${payments.length} payments`);
  return { payments: payments.length, exactlyOnce: once, customerPaymentsAdded: added, problems };
}

/** What one run (a profile and a variant) measured. */
export interface RealtimeRun {
  readonly profile: LatencyProfile;
  readonly variant: Variant;
  readonly ok: boolean;
  readonly latencyMs: ReturnType<typeof summary>;
  readonly stagesMs: Readonly<Record<string, ReturnType<typeof summary>>>;
  readonly viaWebhook: number;
  readonly byCatchUp: number;
  readonly targetedRuns: RunProfile;
  readonly requestsPerPayment: { readonly netsuite: number; readonly invoiced: number };
  readonly checks: ReturnType<typeof checkNetSuite> & { readonly inboxPending: number; readonly recordErrors: number; readonly errors: readonly { stage: string; entity: string; sourceId: string; code: string; message: string }[] };
  readonly [key: string]: unknown;
}

const ms = (value: number | null) => (value === null ? '-' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value} ms`);

/** The printed table. */
export function formatRealtime(runs: readonly RealtimeRun[], out: string): string {
  const lines = [
    '| profile | variant | via webhook | p50 | p95 | max | targeted runs | events / run | NetSuite req / payment | Invoiced req / payment | catch-up | exactly once | inbox left | ok |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const run of runs) {
    lines.push(
      `| ${run.profile.name} | ${run.variant} | ${run.viaWebhook} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.max)} | ${run.targetedRuns.runs} | ${run.targetedRuns.eventsPerRun} | ${run.requestsPerPayment.netsuite} | ${run.requestsPerPayment.invoiced} | ${run.byCatchUp} | ${run.checks.exactlyOnce} / ${run.checks.payments} | ${run.checks.inboxPending} | ${run.ok ? 'yes' : 'NO'} |`,
    );
  }
  for (const run of runs) {
    const stages = Object.entries(run.stagesMs).map(([stage, value]) => `${stage} p50 ${ms(value.p50)} p95 ${ms(value.p95)}`).join('; ');
    const t = run.targetedRuns;
    lines.push('', `${run.profile.name} / ${run.variant}: ${stages}`);
    lines.push(`  a targeted run (mean): ${ms(t.meanMs.call)} per syncPending() = ${ms(t.meanMs.beforeRun)} before the run starts + ${ms(t.meanMs.run)} run + ${ms(t.meanMs.afterRun)} after; ${ms(t.meanMs.inRequests)} of it in requests`);
    lines.push(`  phases: ${t.phases.map((phase) => `${phase.phase} ${ms(phase.meanMs)}`).join(', ')}`);
    lines.push(`  requests per run: ${t.requests.map((request) => `${request.service} ${request.kind} ${request.perRun} x ${ms(request.meanMs)}`).join('; ')}`);
    for (const problem of run.checks.problems.slice(0, 5)) lines.push(`  PROBLEM ${problem}`);
    for (const error of run.checks.errors.slice(0, 5)) lines.push(`  record error (${error.stage}) ${error.entity} ${error.sourceId} ${error.code}: ${error.message}`);
  }
  lines.push('', `JSON: ${out}`);
  return lines.join('\n');
}
