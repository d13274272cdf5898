/**
 * `pnpm bench`: the sync engine against the sandbox over real HTTP.
 *
 *   pnpm bench                                   # books of 1,000 and 10,000 invoices, 20 ms a request
 *   pnpm bench --sizes 1000,10000 --profile realistic   # NetSuite 300–500 ms, Invoiced 100–200 ms a request
 *   pnpm bench --sizes 1000,10000,100000 --latency 50
 *   pnpm bench --sizes 1000 --scenarios first-sync,unchanged-steady --no-baseline --store sqlite --out /tmp/bench.json
 *   pnpm bench --help
 *
 * (`pnpm bench` builds the packages the bench uses first; `node bench/src/main.ts ...` runs it on what is
 * built.)
 *
 * For each size it generates seeded books and serves them from a sandbox in this process (NetSuite: 5
 * requests in flight, Invoiced: 20, each request delayed by the latency profile's latency for its service:
 * `--profile` 20ms, realistic or zero, or a fixed `--latency`; see latency.ts), then runs each scenario in a
 * child process of its own (bench/src/child.ts), so that the peak RSS reported is the engine's and never
 * the sandbox's:
 *
 *   import-customers       engine.importCustomers() on a new connection over fresh books
 *   import-invoices        then engine.importInvoices() (the customers are linked by now)
 *   first-sync             engine.sync() on a new connection over fresh books
 *   unchanged-after-first  the next scheduled sync (--gap-minutes later, auto-sync's interval) with nothing
 *                          changed: its cursor is the first sync's, so it reads again what the first sync
 *                          wrote, and it retries the records that failed (the books have deliberate problems)
 *   unchanged-steady       --gap-minutes later again, after ignoring the records waiting in the retry queue
 *                          (engine.ignore(), as a person would): nothing changed and nothing to retry
 *   changed-1pct           --gap-minutes later, after editing 1% of the NetSuite invoices and 1% of the
 *                          Invoiced invoices (each needs exactly one write)
 *   baseline               the naive sync (bench/src/baseline.ts) on fresh books
 *
 * A connection's state passes from one scenario to the next as a snapshot of its store (`--store`: memory,
 * or SQLite in a temporary file; see snapshot.ts), loaded before the measurement starts. Time is simulated: the sandbox, the engine and the
 * signatures share a clock that `--gap-minutes` moves forward, so that "an hour later" takes no time.
 *
 * Requests and 429s are counted twice: by the sandbox (its request log: the numbers reported) and by the
 * child's fetch (by phase and kind of data, for the lower bounds; the two must agree). Phases may overlap:
 * the child's meter charges each request to the phase whose async work sent it, and records when each
 * phase started and finished (meter.ts). The lower bounds (the whole sync's, the phases' sum, the chain of
 * Invoiced list pages) and the targets are in bounds.ts. It prints a table and writes JSON (default
 * bench/results/latest.json).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createSandbox, generateBooks, type Books, type Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { benchSettings, bookOptions, changeOnePercent, describeBooks, type Changes } from '#bench/books';
import { baselineReport, scenarioReport, TARGETS, type BaselineReport, type SandboxCounts, type ScenarioReport } from '#bench/bounds';
import { ChildCgroupError, openChildCgroup, type ChildCgroup } from '#bench/child-cgroup';
import { childScript } from '#bench/child-script';
import { parseFlags, USAGE, UsageError, type Flags } from '#bench/flags';
import { APIS, buildOf, megabytes, PAGE_SIZES, SERVICE_LIMITS, type ChildConfig, type ChildResult, type EngineScenario, type ScenarioName } from '#bench/protocol';
import { duration, formatReport, type SizeReport } from '#bench/report';

/** The scenario child, as JavaScript (`child-script.ts`): written once, by the first scenario. */
let childPath: string | undefined;
/** The memory cgroup the children run in (`--child-memory`), made once by main(). */
let childCgroup: ChildCgroup | undefined;

const print = (text: string) => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`${text}\n`);

/** The bench's clock: real time plus an offset that moves forward to simulate the time between two syncs. */
class SimulatedClock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  readonly date = (): Date => new Date(this.now());
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Runs one scenario in a child process and resolves with what it sent back. */
async function runChild(config: ChildConfig): Promise<ChildResult> {
  childPath ??= childScript();
  const execArgv = ['--expose-gc', ...(process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean)];
  const child = fork(childPath, [], { ...(childCgroup?.forkOptions(execArgv) ?? { execArgv }), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let result: ChildResult | undefined;
  child.on('message', (message) => {
    result = message as ChildResult;
  });
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  child.send(config);
  const [code, signal] = await closed;
  if (result === undefined) return { ok: false, scenario: config.scenario, error: `The child process ended (${signal ?? `exit code ${String(code)}`}) without a result.` };
  if (result.ok && code !== 0) return { ok: false, scenario: config.scenario, error: `The child process ended with exit code ${String(code)} after its result (its store snapshot may be missing).` };
  return result;
}

interface SizeContext {
  readonly size: number;
  readonly flags: Flags;
  readonly books: Books;
  readonly settings: Record<string, unknown>;
  readonly clock: SimulatedClock;
  readonly work: string;
  readonly loads: { purpose: string; loadMs: number; parentRssMb: number }[];
}

/** A sandbox with fresh books, listening on loopback, for the duration of `use`. */
async function withSandbox<T>(context: SizeContext, purpose: string, use: (sandbox: Sandbox, urls: { netsuite: string; invoiced: string }) => Promise<T>): Promise<T> {
  const { profile } = context.flags;
  const sandbox = createSandbox({ seed: context.flags.seed, clock: context.clock.date, netsuite: { latencyMs: profile.netsuite }, invoiced: { latencyMs: profile.invoiced } });
  const started = performance.now();
  sandbox.load(context.books);
  const loadMs = Math.round(performance.now() - started);
  context.loads.push({ purpose, loadMs, parentRssMb: megabytes(process.memoryUsage().rss) });
  progress(`  sandbox loaded for ${purpose} in ${duration(loadMs)} (bench process RSS ${megabytes(process.memoryUsage().rss)} MB)`);
  const servers = await sandbox.listen();
  try {
    return await use(sandbox, { netsuite: servers.netsuiteUrl, invoiced: servers.invoicedUrl });
  } finally {
    await servers.close();
  }
}

/** Runs one scenario against `sandbox` and reports it. */
async function measure(
  context: SizeContext,
  sandbox: Sandbox,
  urls: { netsuite: string; invoiced: string },
  scenario: ScenarioName,
  snapshots: { in: string | null; out: string | null },
  expectedWrites?: number,
): Promise<{ report: ScenarioReport; result: ChildResult }> {
  progress(`  ${scenario}...`);
  sandbox.netsuite.clearRequests();
  sandbox.invoiced.clearRequests();
  const cpuBefore = process.cpuUsage();
  const result = await runChild({
    scenario,
    netsuite: { url: urls.netsuite, accountId: sandbox.netsuite.accountId, credentials: sandbox.netsuite.credentials },
    invoiced: { url: urls.invoiced, apiKey: sandbox.invoiced.apiKey },
    clockOffsetMs: context.clock.offsetMs,
    concurrency: SERVICE_LIMITS,
    settings: context.settings,
    store: context.flags.store,
    snapshotIn: snapshots.in,
    snapshotOut: snapshots.out,
    ...(scenario === 'baseline' ? { baseline: { maxInvoices: context.flags['baseline-max'], currencies: context.books.netsuite.currencies } } : {}),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const counts = {} as Record<(typeof APIS)[number], SandboxCounts[(typeof APIS)[number]]>;
  for (const api of APIS) {
    const log = sandbox[api].requests;
    const busyMs = log.reduce((total, entry) => total + entry.durationMs, 0);
    counts[api] = {
      requests: log.length,
      tooManyRequests: log.filter((entry) => entry.status === 429).length,
      peakInFlight: sandbox[api].stats.peakInFlight,
      averageInFlight: result.ok && result.wallMs > 0 ? Math.round((busyMs / result.wallMs) * 100) / 100 : 0,
    };
  }
  sandbox.netsuite.clearRequests();
  sandbox.invoiced.clearRequests();
  const report = scenarioReport({
    size: context.size,
    result,
    sandbox: counts,
    sandboxCpuMs: (cpu.user + cpu.system) / 1000,
    profile: context.flags.profile,
    ...(expectedWrites === undefined ? {} : { expectedWrites }),
  });
  progress(
    report.ok
      ? `  ${scenario}: ${report.status} in ${duration(report.wallMs)} (whole-sync LB ${duration(report.timeLowerBoundMs)}, phases' sum ${duration(report.phasesTimeLowerBoundMs)}), NetSuite ${report.requests.netsuite.made} / Invoiced ${report.requests.invoiced.made} requests (LB ${report.requests.total.lowerBound}), peak RSS ${report.memory?.peakRssMb ?? '?'} MB`
      : `  ${scenario}: ERROR ${report.error ?? ''}`,
  );
  return { report, result };
}

async function benchSize(size: number, flags: Flags, clock: SimulatedClock, work: string): Promise<SizeReport> {
  progress(`Books of ${size.toLocaleString('en-US')} invoices:`);
  const generateStarted = performance.now();
  const books = generateBooks(bookOptions(size, flags.seed));
  const generateMs = Math.round(performance.now() - generateStarted);
  progress(`  generated in ${duration(generateMs)}`);
  const context: SizeContext = { size, flags, books, settings: benchSettings(books), clock, work, loads: [] };
  const chosen = new Set<EngineScenario>(flags.scenarios);
  const scenarios: ScenarioReport[] = [];
  let describedBooks: Record<string, number> = {};
  let changes: Changes | undefined;
  const file = (name: string) => join(work, `${size}-${name}.ndjson`);

  if (chosen.has('import-customers')) {
    await withSandbox(context, 'the imports', async (sandbox, urls) => {
      describedBooks = describeBooks(books, sandbox);
      const customers = await measure(context, sandbox, urls, 'import-customers', { in: null, out: file('import-customers') });
      scenarios.push(customers.report);
      if (chosen.has('import-invoices') && customers.report.ok) {
        scenarios.push((await measure(context, sandbox, urls, 'import-invoices', { in: file('import-customers'), out: null })).report);
      }
    });
  }

  if (chosen.has('first-sync')) {
    await withSandbox(context, 'the syncs', async (sandbox, urls) => {
      describedBooks = describeBooks(books, sandbox);
      const firstSyncStarted = clock.now();
      const first = await measure(context, sandbox, urls, 'first-sync', { in: null, out: file('first-sync') });
      scenarios.push(first.report);
      if (!first.report.ok) return;
      let state = file('first-sync');
      const next = async (scenario: EngineScenario, expectedWrites?: number) => {
        const out = file(scenario);
        const { report } = await measure(context, sandbox, urls, scenario, { in: state, out }, expectedWrites);
        scenarios.push(report);
        if (report.ok) state = out;
        return report.ok;
      };
      if (chosen.has('unchanged-after-first')) {
        clock.advance(flags['gap-minutes'] * 60_000);
        if (!(await next('unchanged-after-first'))) return;
      }
      if (chosen.has('unchanged-steady')) {
        clock.advance(flags['gap-minutes'] * 60_000);
        if (!(await next('unchanged-steady'))) return;
      }
      if (chosen.has('changed-1pct')) {
        clock.advance(flags['gap-minutes'] * 60_000);
        changes = changeOnePercent(sandbox, books, firstSyncStarted);
        progress(`  changed ${changes.netsuiteInvoices} NetSuite invoices and ${changes.invoicedInvoices} Invoiced invoices`);
        await next('changed-1pct', changes.expectedWrites);
      }
    });
  }

  let baseline: BaselineReport | null = null;
  if (flags.baseline) {
    baseline = await withSandbox(context, 'the baseline', async (sandbox, urls) => {
      if (Object.keys(describedBooks).length === 0) describedBooks = describeBooks(books, sandbox);
      const { report, result } = await measure(context, sandbox, urls, 'baseline', { in: null, out: null });
      return baselineReport(
        size,
        report,
        result,
        scenarios.find((scenario) => scenario.scenario === 'first-sync'),
      );
    });
  }
  return {
    size,
    books: describedBooks,
    sandbox: { generateMs, loads: context.loads },
    scenarios,
    baseline,
    ...(changes === undefined ? {} : { changes: { ...changes } }),
  };
}

async function main(): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pnpm bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    print(USAGE);
    return 0;
  }
  const out = resolve(flags.out);
  const childMemoryMb = flags['child-memory'];
  if (childMemoryMb !== undefined) {
    try {
      childCgroup = await openChildCgroup(childMemoryMb);
    } catch (error) {
      if (!(error instanceof ChildCgroupError)) throw error;
      process.stderr.write(`pnpm bench: ${error.message}\n`);
      return 2;
    }
    progress(`Each scenario's child runs in the memory cgroup ${childCgroup.path}, limited to ${childMemoryMb} MB.`);
  }
  const sandboxBuild = buildOf('@invoiced/netsuite-sync-sandbox');
  const work = await mkdtemp(join(tmpdir(), 'netsuite-sync-bench-'));
  const clock = new SimulatedClock();
  const started = new Date();
  const loadAtStart = loadavg();
  const sizes: SizeReport[] = [];
  try {
    for (const size of flags.sizes) sizes.push(await benchSize(size, flags, clock, work));
  } finally {
    await rm(work, { recursive: true, force: true });
    await childCgroup?.close();
  }

  // Another process may rebuild the packages while a long bench runs: each child loads what is built then.
  const engineBuilds = [...new Set(sizes.flatMap((size) => [...size.scenarios, ...(size.baseline === null ? [] : [size.baseline.measured])]).flatMap((scenario) => (scenario.engineBuild === null ? [] : [scenario.engineBuild])))];
  const document = {
    generatedAt: started.toISOString(),
    tookMs: Date.now() - started.getTime(),
    command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
    // Other processes on the machine slow the sandbox and the engine alike: the load average says how busy it was.
    environment: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, loadAverage: { start: loadAtStart, end: loadavg() } },
    builds: { engine: engineBuilds, sandbox: sandboxBuild },
    options: { ...flags, out },
    limits: { concurrency: SERVICE_LIMITS, pageSizes: PAGE_SIZES, profile: flags.profile.name, latency: { netsuite: flags.profile.netsuite, invoiced: flags.profile.invoiced }, childMemoryMb: childMemoryMb ?? null },
    targets: TARGETS,
    sizes,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);
  print('');
  print(formatReport(sizes, { profile: flags.profile, store: flags.store, childMemoryMb: childMemoryMb ?? null, out }));
  if (engineBuilds.length > 1) {
    print(`\nWarning: the engine was rebuilt while the bench ran; its scenarios ran ${engineBuilds.length} builds (${engineBuilds.join(', ')}): see each scenario's engineBuild in the JSON.`);
  }
  const failed = sizes.some((size) => size.scenarios.some((scenario) => !scenario.ok) || size.baseline?.measured.ok === false);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pnpm bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
