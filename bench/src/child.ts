/**
 * One scenario in a process of its own (started by main.ts with `child_process.fork`), so that its peak
 * RSS is the engine's (and its store's) alone, never the sandbox's (see memory.ts). It receives a `ChildConfig`
 * over IPC, opens the store it names (memory, or SQLite in a temporary file: child-store.ts), loads the
 * connection's state from the previous scenario's snapshot, runs the sync, the import or the baseline with
 * counting clients, sends back a `ChildResult`, then writes the state for the next scenario, closes the
 * store (removing a SQLite store's files) and exits.
 */
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncEngine, type SyncStore } from '@invoiced/netsuite-sync';
import { runBaseline } from '#bench/baseline';
import { openChildStore } from '#bench/child-store';
import { PeakRss } from '#bench/memory';
import { Meter } from '#bench/meter';
import { buildOf, megabytes, type ChildConfig, type ChildResult } from '#bench/protocol';
import { JOB_IDS, loadSnapshot, saveSnapshot } from '#bench/snapshot';

const CONNECTION_ID = 'bench';

interface Outcome {
  readonly status: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly recordErrors: number;
  readonly sample?: NonNullable<Extract<ChildResult, { ok: true }>['sample']>;
}

async function runScenario(engine: SyncEngine, config: ChildConfig): Promise<Outcome> {
  switch (config.scenario) {
    case 'import-customers':
    case 'import-invoices': {
      const customers = config.scenario === 'import-customers';
      const job = customers ? engine.importCustomers({ jobId: JOB_IDS.customers }) : engine.importInvoices({ jobId: JOB_IDS.invoices });
      const result = await job.done;
      const run = await engine.getSync(result.runId);
      return { status: result.status, counts: result.counts, recordErrors: run?.recordErrorCount ?? result.counts.records_failed ?? 0 };
    }
    default: {
      const run = await engine.sync({ trigger: config.scenario === 'first-sync' ? 'manual' : 'auto' });
      return { status: run.status, counts: run.counts, recordErrors: run.recordErrorCount };
    }
  }
}

async function main(config: ChildConfig): Promise<void> {
  const clock = () => new Date(Date.now() + config.clockOffsetMs);
  // The baseline uses no store: it keeps a memory one, whatever --store says, and makes no file.
  const opened = await openChildStore(config.scenario === 'baseline' ? 'memory' : config.store, clock);
  try {
    await measured(config, opened.store, clock);
  } finally {
    await opened.close();
  }
}

async function measured(config: ChildConfig, store: SyncStore, clock: () => Date): Promise<void> {
  const now = () => clock().getTime();
  if (config.snapshotIn !== null) await loadSnapshot(store, CONNECTION_ID, config.snapshotIn);
  // What loading left behind is not the scenario's (main.ts starts children with --expose-gc); the peak
  // is measured from here on.
  globalThis.gc?.();
  const rssAtStart = process.memoryUsage.rss();
  const heapAtStart = process.memoryUsage().heapUsed;
  const peak = new PeakRss();
  const cpuAtStart = process.cpuUsage();

  const meter = new Meter();
  const skipped: Record<string, number> = {};
  const errorKinds = new Map<string, { entity: string; direction: string; code: string; count: number; example: string }>();
  let retriesPending = 0;
  let retriesIgnored = 0;
  let outcome: Outcome;
  let started: number;
  let wallMs: number;
  if (config.scenario === 'baseline') {
    started = performance.now();
    const done = await runBaseline(config, meter, now);
    wallMs = performance.now() - started;
    outcome = {
      status: done.failures === 0 ? 'succeeded' : 'partial',
      counts: { invoices_created: done.created, customers_created: done.customersCreated, records_failed: done.failures },
      recordErrors: done.failures,
      sample: { processed: done.processed, total: done.total, listingMs: Math.round(done.listingMs), listingRequests: done.listingRequests },
    };
  } else {
    const netsuite = createNetSuiteClient({
      accountId: config.netsuite.accountId,
      baseUrl: config.netsuite.url,
      auth: tokenBasedAuth({ ...config.netsuite.credentials, timestamp: () => Math.floor(now() / 1000) }),
      concurrency: config.concurrency.netsuite,
      onResponse: meter.observerFor('netsuite'),
    });
    const invoiced = createInvoicedClient({
      apiKey: config.invoiced.apiKey,
      baseUrl: config.invoiced.url,
      concurrency: config.concurrency.invoiced,
      onResponse: meter.observerFor('invoiced'),
    });
    const engine = createSyncEngine({
      netsuite,
      invoiced,
      store,
      connectionId: CONNECTION_ID,
      settings: config.settings,
      clock,
      onEvent: (event) => {
        // The engine emits both synchronously from inside the phase's own async task: the meter scopes
        // that task's requests to the phase (see meter.ts).
        if (event.type === 'phase_started') meter.enter(event.phase);
        else if (event.type === 'phase_finished') meter.leave(event.phase);
        else if (event.type === 'record_skipped') {
          const key = `${event.entity}: ${event.reason.replace(/\d+/g, 'n')}`;
          skipped[key] = (skipped[key] ?? 0) + 1;
        } else if (event.type === 'record_failed') {
          const { entity, direction, code, message } = event.error;
          const key = `${entity} ${direction} ${code}`;
          const kind = errorKinds.get(key);
          if (kind === undefined) errorKinds.set(key, { entity, direction, code, count: 1, example: message });
          else kind.count += 1;
        }
      },
    });
    if (config.scenario === 'unchanged-steady') {
      // Nothing to retry: a person ignores the records that failed (until they change), as the errors say.
      for (const item of await engine.retryQueue()) {
        if (item.status !== 'pending') continue;
        await engine.ignore(item.key);
        retriesIgnored += 1;
      }
    }
    retriesPending = (await engine.retryQueue()).filter((item) => item.status === 'pending').length;
    started = performance.now();
    outcome = await runScenario(engine, config);
    wallMs = performance.now() - started;
  }
  const phases = meter.result(started);
  const peakMemory = peak.stop();
  const cpu = process.cpuUsage(cpuAtStart);
  // What the run left reachable (the store's new links among it), as against garbage not collected yet.
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const result: ChildResult = {
    ok: true,
    scenario: config.scenario,
    engineBuild: buildOf('@invoiced/netsuite-sync'),
    wallMs: Math.round(wallMs),
    status: outcome.status,
    counts: outcome.counts,
    recordErrors: outcome.recordErrors,
    recordErrorKinds: [...errorKinds.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    skipped,
    phases,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    memory: {
      rssAtStartMb: megabytes(rssAtStart),
      peakRssMb: megabytes(peakMemory.rss),
      method: peakMemory.method,
      peakHeapTotalMb: megabytes(peakMemory.heapTotal),
      peakExternalMb: megabytes(peakMemory.external),
      heapAtStartMb: megabytes(heapAtStart),
      heapAfterGcMb: megabytes(heapAfter),
    },
    retryQueue: { pending: retriesPending, ignoredFirst: retriesIgnored },
    ...(outcome.sample === undefined ? {} : { sample: outcome.sample }),
  };
  await send(result);
  if (config.snapshotOut !== null) await saveSnapshot(store, CONNECTION_ID, config.snapshotOut);
}

function send(message: ChildResult): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('bench/src/child.ts runs only as a child of bench/src/main.ts (it needs an IPC channel).'));
      return;
    }
    process.send(message, undefined, {}, (error: Error | null) => (error === null ? resolve() : reject(error)));
  });
}

process.once('message', (message: ChildConfig) => {
  main(message).then(
    () => process.disconnect(),
    async (error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      await send({ ok: false, scenario: message.scenario, error: text }).catch(() => undefined);
      process.exitCode = 1;
      process.disconnect();
    },
  );
});
