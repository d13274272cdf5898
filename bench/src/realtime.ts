/**
 * `pnpm bench:realtime`: is a payment recorded on Invoiced in NetSuite within 2 s (p95), with webhooks?
 *
 *   pnpm bench:realtime                                   # zero and realistic latency, clean and with faults
 *   node bench/src/realtime.ts --profiles realistic --variants clean --payments 100
 *   node bench/src/realtime.ts --help
 *
 * For each latency profile and variant: a sandbox over real HTTP (latencies in latency.ts) with
 * generated books, a first `engine.sync()` (customers and invoices linked), then a node:http server with
 * the webhook handler (`@invoiced/netsuite-sync/webhooks`) -> `createInboxRunner` -> `engine.syncPending()`,
 * registered with `sandbox.invoiced.webhooks.add`. The bench records payments through the Invoiced API
 * (POST /payments, each applied to one linked open invoice, in full or in part) at random intervals with
 * bursts, and polls NetSuite's state every 10 ms for each payment's customer payment (`invd-pay-<id>`).
 * The latency of a payment is from the create's answer to that moment. `faults` drops 10% of deliveries
 * (never retried), duplicates 20% and holds back 30% up to 500 ms; both variants end with a scheduled
 * `engine.sync()` (the catch-up) and check every payment is in NetSuite exactly once, for its amount,
 * applied to its invoice, and the inbox empty. Engine, sandbox and receiver share this process.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInboxRunner, createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '@invoiced/netsuite-sync';
import { createInvoicedWebhookHandler, toNodeListener } from '@invoiced/netsuite-sync/webhooks';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { benchSettings, bookOptions } from '#bench/books';
import { UsageError } from '#bench/flags';
import { buildOf, SERVICE_LIMITS } from '#bench/protocol';
import { PROFILES, type LatencyProfile } from '#bench/latency';
import { REALTIME_USAGE, parseRealtimeFlags, schedule, type RealtimeFlags, type Variant } from '#bench/realtime-flags';
import { profileRuns, RunProbe } from '#bench/realtime-probe';
import { checkNetSuite, formatRealtime, netsuiteBefore, summary, type PaymentTrace, type RealtimeRun } from '#bench/realtime-report';

const CONNECTION_ID = 'realtime';
const FAULTS = { drop: 0.1, duplicate: 0.2, reorder: 0.3, reorderMs: { max: 500 } } as const;
const progress = (text: string) => process.stderr.write(`${text}\n`);

async function runOne(flags: RealtimeFlags, profile: LatencyProfile, variant: Variant): Promise<RealtimeRun> {
  progress(`${profile.name} / ${variant}:`);
  const books = generateBooks(bookOptions(flags.invoices, flags.seed));
  const sandbox = createSandbox({ seed: flags.seed, netsuite: { latencyMs: profile.netsuite }, invoiced: { latencyMs: profile.invoiced } });
  sandbox.load(books);
  const servers = await sandbox.listen();
  const store = memoryStore();
  const probe = new RunProbe();
  const payments = new Map<number, PaymentTrace>();
  // By Invoiced payment ID (a delivery may be accepted before the bench has read the create's answer).
  const accepted = new Map<number, number>();
  const synced = new Map<number, number>();
  const errors: { stage: string; entity: string; sourceId: string; code: string; message: string }[] = [];
  let stage = 'first sync';
  const engine = createSyncEngine({
    netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials), concurrency: SERVICE_LIMITS.netsuite, onResponse: probe.observerFor('netsuite') }),
    invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl, concurrency: SERVICE_LIMITS.invoiced, onResponse: probe.observerFor('invoiced') }),
    store,
    connectionId: CONNECTION_ID,
    settings: { ...benchSettings(books), ...(flags['time-zone'] === undefined ? {} : { netsuiteTimeZone: flags['time-zone'] }) },
    onEvent: (event) => {
      probe.onEvent(event);
      if (event.type === 'record_synced' && event.entity === 'payment' && event.direction === 'invoiced_to_netsuite') {
        if (!synced.has(Number(event.sourceId))) synced.set(Number(event.sourceId), performance.now());
      }
      if (event.type === 'record_failed') errors.push({ stage, entity: event.error.entity, sourceId: event.error.sourceId, code: event.error.code, message: event.error.message });
    },
  });

  let started = performance.now();
  const first = await engine.sync();
  progress(`  first sync: ${first.status} in ${Math.round(performance.now() - started)} ms`);
  errors.length = 0;
  stage = 'webhooks';
  probe.outside.length = 0;

  // Open invoices the first sync linked, each paid once: in full (every third) or 40%.
  const open = sandbox.invoiced.state.list('invoices').filter((invoice) => !invoice.draft && invoice.status !== 'voided' && invoice.closed !== true && invoice.balance > 1);
  const targets: { invoice: (typeof open)[number]; netsuiteId: string }[] = [];
  for (const invoice of open) {
    const link = await store.findLinkByInvoicedId(CONNECTION_ID, 'invoice', String(invoice.id));
    // Only where both sides agree on what is due (a NetSuite payment the first sync could not copy leaves them apart).
    if (link !== null && Number(sandbox.netsuite.state.get('invoice', link.netsuiteId)?.amountRemaining) === invoice.balance) targets.push({ invoice, netsuiteId: link.netsuiteId });
  }
  if (targets.length < flags.payments) throw new Error(`Only ${targets.length} linked open invoices for ${flags.payments} payments: give more --invoices.`);

  const before = netsuiteBefore(sandbox, targets.map((target) => target.netsuiteId));
  const runner = createInboxRunner(probe.engine(engine));
  const outcomes: Record<string, number> = {};
  const secret = randomBytes(24).toString('base64url');
  const handler = createInvoicedWebhookHandler({
    secret,
    connectionId: CONNECTION_ID,
    store,
    onAccepted: (events) => {
      const now = performance.now();
      for (const event of events) if (event.entity === 'payment' && !accepted.has(Number(event.sourceId))) accepted.set(Number(event.sourceId), now);
      runner.notify();
    },
  });
  // The receiver counts the handler's answers (accepted, duplicate, ignored...).
  const receiver = createServer(
    toNodeListener(async (request) => {
      const response = await handler(request);
      const body = (await response.clone().json().catch(() => ({}))) as { accepted?: boolean; reason?: string; error?: string };
      const outcome = body.accepted === true ? 'accepted' : (body.reason ?? body.error ?? String(response.status));
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      return response;
    }),
  );
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  sandbox.invoiced.webhooks.add({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/invoiced`, secret });
  if (variant === 'faults') sandbox.invoiced.webhooks.faults({ seed: flags.seed, ...FAULTS });
  sandbox.netsuite.clearRequests();
  sandbox.invoiced.clearRequests();

  // Poll NetSuite's state for the payments not seen yet.
  const unseen = new Set<PaymentTrace>();
  const poller = setInterval(() => {
    for (const trace of unseen) {
      if (sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${trace.id}`) === undefined) continue;
      trace.seenAt = performance.now();
      unseen.delete(trace);
    }
  }, 10);

  let createsRefused = 0;
  const auth = `Basic ${Buffer.from(`${sandbox.invoiced.apiKey}:`).toString('base64')}`;
  const send = async (index: number): Promise<void> => {
    const { invoice, netsuiteId } = targets[Math.floor((index * targets.length) / flags.payments)] as (typeof targets)[number];
    const unit = 10 ** (new Intl.NumberFormat('en', { style: 'currency', currency: invoice.currency }).resolvedOptions().maximumFractionDigits ?? 2);
    const amount = index % 3 === 0 ? invoice.balance : Math.round(invoice.balance * 0.4 * unit) / unit;
    const body = JSON.stringify({ customer: invoice.customer, currency: invoice.currency, amount, method: 'check', reference: `RT-${String(index + 1).padStart(4, '0')}`, applied_to: [{ type: 'invoice', invoice: invoice.id, amount }] });
    const sentAt = performance.now();
    let response: Response;
    // The app shares the account's 20 requests in flight with the sync: on a 429 it waits and tries again.
    for (let attempt = 1; ; attempt++) {
      response = await fetch(`${servers.invoicedUrl}/payments`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
      if (response.status !== 429 || attempt === 20) break;
      createsRefused += 1;
      await response.body?.cancel();
      await sleep(50 * attempt);
    }
    const answeredAt = performance.now();
    const created = (await response.json()) as { id?: number; error?: string; message?: string };
    if (!response.ok || typeof created.id !== 'number') throw new Error(`POST /payments answered ${response.status}: ${created.message ?? ''}`);
    const trace: PaymentTrace = { index, id: created.id, amount, invoicedInvoice: invoice.id, netsuiteInvoice: netsuiteId, sentAt, answeredAt, acceptedAt: null, syncedAt: null, seenAt: null, byCatchUp: false };
    payments.set(created.id, trace);
    unseen.add(trace);
  };

  started = performance.now();
  const sends: Promise<void>[] = [];
  const failures: unknown[] = [];
  for (const [index, at] of schedule(flags).entries()) {
    const wait = started + at - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(send(index).catch((error: unknown) => void failures.push(error)));
  }
  await Promise.all(sends);
  if (failures.length > 0) throw failures[0];
  // Every delivery made (scheduled retries aside), every run it started ended, and the poller had its look.
  for (let round = 0; round < 3; round++) {
    await sandbox.invoiced.webhooks.idle();
    await runner.idle();
    await sleep(50);
  }
  const webhookMs = performance.now() - started;
  const viaWebhook = [...payments.values()].filter((trace) => trace.seenAt !== null);
  const deliveries = sandbox.invoiced.webhooks.deliveries();
  const requests = { netsuite: sandbox.netsuite.requests.length, invoiced: sandbox.invoiced.requests.length - payments.size - createsRefused };
  progress(`  ${payments.size} payments in ${Math.round(webhookMs)} ms; ${viaWebhook.length} in NetSuite by webhook; ${probe.calls.length} syncPending() calls`);

  // The scheduled catch-up: a whole sync, as auto-sync runs it.
  const waiting = new Set(unseen);
  stage = 'catch-up';
  started = performance.now();
  const catchUp = await engine.sync({ trigger: 'auto' });
  const catchUpMs = performance.now() - started;
  await sleep(30);
  for (const trace of waiting) trace.byCatchUp = true;
  clearInterval(poller);
  await runner.close();
  receiver.close();
  sandbox.invoiced.webhooks.close();
  await servers.close();

  const traces = [...payments.values()];
  for (const trace of traces) {
    trace.acceptedAt = accepted.get(trace.id) ?? null;
    trace.syncedAt = synced.get(trace.id) ?? null;
  }
  const checks = { ...checkNetSuite(sandbox, traces, before), inboxPending: (await store.listPendingEvents(CONNECTION_ID)).length, recordErrors: errors.length, errors: errors.filter((error) => error.stage === 'webhooks' || (error.entity === 'payment' && payments.has(Number(error.sourceId)))) };
  const between = (from: keyof PaymentTrace, to: keyof PaymentTrace) =>
    summary(viaWebhook.flatMap((trace) => (typeof trace[from] === 'number' && typeof trace[to] === 'number' ? [trace[to] - trace[from]] : [])));
  const targeted = profileRuns(probe.calls);
  const engineRequests = (service: 'netsuite' | 'invoiced') => probe.calls.reduce((sum, call) => sum + call.requests.filter((request) => request.service === service).length, 0);
  const ok = checks.problems.length === 0 && checks.exactlyOnce === traces.length && checks.inboxPending === 0 && catchUp.status !== 'failed';
  return {
    profile,
    variant,
    ok,
    latencyMs: between('answeredAt', 'seenAt'),
    stagesMs: { create: between('sentAt', 'answeredAt'), delivery: between('answeredAt', 'acceptedAt'), 'accepted to written': between('acceptedAt', 'syncedAt'), 'written to seen': between('syncedAt', 'seenAt') },
    viaWebhook: viaWebhook.length,
    byCatchUp: traces.filter((trace) => trace.byCatchUp).length,
    targetedRuns: targeted,
    requestsPerPayment: { netsuite: Math.round((engineRequests('netsuite') / traces.length) * 100) / 100, invoiced: Math.round((engineRequests('invoiced') / traces.length) * 100) / 100 },
    sandboxRequests: requests,
    createsRefused,
    checks,
    webhookPhaseMs: Math.round(webhookMs),
    firstSync: { status: first.status, counts: first.counts },
    catchUp: { status: catchUp.status, ms: Math.round(catchUpMs), counts: catchUp.counts, requests: probe.outside.length },
    deliveries: {
      attempts: deliveries.length,
      ok: deliveries.filter((delivery) => delivery.ok).length,
      dropped: deliveries.filter((delivery) => delivery.fault === 'drop').length,
      duplicated: deliveries.filter((delivery) => delivery.fault === 'duplicate').length,
      heldBack: deliveries.filter((delivery) => delivery.fault === 'reorder').length,
      byType: Object.fromEntries([...new Set(deliveries.map((delivery) => delivery.eventType))].map((type) => [type, deliveries.filter((delivery) => delivery.eventType === type).length])),
      receiver: outcomes,
    },
  };
}

async function main(): Promise<number> {
  let flags: RealtimeFlags;
  try {
    flags = parseRealtimeFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pnpm bench:realtime: ${error.message}\n\n${REALTIME_USAGE}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(REALTIME_USAGE);
    return 0;
  }
  const out = resolve(flags.out);
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const runs: RealtimeRun[] = [];
  for (const name of flags.profiles) for (const variant of flags.variants) runs.push(await runOne(flags, PROFILES[name], variant));
  const document = {
    generatedAt: startedAt.toISOString(),
    tookMs: Date.now() - startedAt.getTime(),
    command: ['pnpm bench:realtime', ...process.argv.slice(2)].join(' '),
    environment: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, loadAverage: { start: loadAtStart, end: loadavg() } },
    builds: { engine: buildOf('@invoiced/netsuite-sync'), sandbox: buildOf('@invoiced/netsuite-sync-sandbox') },
    options: { ...flags, out },
    faults: FAULTS,
    target: { p95Ms: 2000 },
    runs,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`\n${formatRealtime(runs, out)}\nload average: start ${loadAtStart.map((value) => value.toFixed(2)).join(' ')}, end ${loadavg().map((value) => value.toFixed(2)).join(' ')} (${cpus().length} cores)\n`);
  return runs.every((run) => run.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pnpm bench:realtime failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
