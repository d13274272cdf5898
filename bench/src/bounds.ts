/**
 * Lower bounds and targets, from what a child measured and what the sandbox logged.
 *
 * Requests (per phase, per API):
 *   reads  = for each kind of data read, ceil(rows returned / page size), at least 1
 *            (SuiteQL pages of 1000 rows, Invoiced list pages of 100), except the reads of records the
 *            service has no list of (PER_RECORD_READS: Invoiced's charges, which a refund names): one per row
 *   writes = one per record written (successful creates, and each path successfully updated, upserted,
 *            voided or deleted once; idempotent replays not counted), plus one per write the service
 *            refused with a 4xx other than 429 (NetSuite refusing a refund of a payment with nothing
 *            unapplied, say: the engine learns it only by trying)
 *
 * The phases of credits and refunds fit these rules: the credit memo phase's queries (memos, their lines,
 * applications and customers), the credit notes list, the refunds list (whole, on every run: Invoiced's
 * refunds have no updated_after) and the customer refunds written are reads and writes like the others.
 * Time (per phase): ceil(requests that got through / service limit) x latency for each API, the larger
 * of the two (the APIs can work at the same time); phases run one after another, so their bounds add up.
 * Peak RSS is the child's, from the moment its store was loaded to its result (see memory.ts).
 */
import { APIS, PAGE_SIZES, SERVICE_LIMITS, UNCHANGED_SCENARIOS, type Api, type ChildResult, type PhaseTraffic, type ReadKind, type RecordErrorKind, type ScenarioName } from '#bench/protocol';

/**
 * Kinds of read (as meter.ts names them) of records the service cannot list, only get one by one: Invoiced's
 * API documents `GET /charges/:id` and no list of charges, so each charge a refund names costs a request.
 */
export const PER_RECORD_READS: Readonly<Record<Api, ReadonlySet<string>>> = { netsuite: new Set(), invoiced: new Set(['GET charges/:id']) };

/** The lower bound of one kind of read. */
export function readLowerBound(api: Api, read: ReadKind): number {
  if (PER_RECORD_READS[api].has(read.kind)) return Math.max(1, read.rows);
  return Math.max(1, Math.ceil(read.rows / PAGE_SIZES[api]));
}

/** The targets of issue 8. */
export const TARGETS = {
  requestRatio: 1.05,
  timeRatio: 1.25,
  unchangedRequests: 8,
  peakRssMb: 300,
} as const;

export interface Target {
  readonly name: 'requests' | 'time' | 'unchanged' | 'memory';
  readonly description: string;
  readonly value: number | null;
  readonly met: boolean | null;
}

export interface ReadKindReport extends ReadKind {
  readonly lowerBound: number;
}

export interface PhaseApiReport {
  readonly requests: number;
  readonly lowerBound: number;
  readonly tooManyRequests: number;
  readonly failed: number;
  readonly reads: readonly ReadKindReport[];
  readonly writes: number;
  readonly recordsWritten: number;
  readonly refusedWrites: number;
}

export interface PhaseReport {
  readonly phase: string;
  readonly wallMs: number;
  readonly timeLowerBoundMs: number;
  readonly timeLowerBoundAtMinimumMs: number;
  readonly apis: Readonly<Record<Api, PhaseApiReport>>;
}

export interface ApiReport {
  /** Requests the sandbox received (429s included). */
  readonly made: number;
  /** Requests the child's fetch sent: equal to `made` unless something was lost on the way. */
  readonly madeByClient: number;
  readonly lowerBound: number;
  readonly readsMade: number;
  readonly readsLowerBound: number;
  readonly writesMade: number;
  readonly recordsWritten: number;
  /** Writes refused with a 4xx other than 429 (counted in the lower bound). */
  readonly refusedWrites: number;
  readonly tooManyRequests: number;
  readonly failed: number;
  readonly peakInFlight: number;
  readonly averageInFlight: number;
}

export interface ScenarioReport {
  readonly size: number;
  readonly scenario: ScenarioName;
  readonly ok: boolean;
  readonly error?: string;
  readonly status: string;
  /** The build of the engine the scenario ran (a hash of its module). */
  readonly engineBuild: string | null;
  readonly wallMs: number;
  readonly timeLowerBoundMs: number;
  readonly timeRatio: number | null;
  /** The time bound of the requests' lower bound (rather than of the requests made). */
  readonly timeLowerBoundAtMinimumMs: number;
  readonly requests: Readonly<Record<Api, ApiReport>> & { readonly total: { readonly made: number; readonly lowerBound: number; readonly ratio: number | null } };
  readonly memory: Extract<ChildResult, { ok: true }>['memory'] | null;
  /** Records waiting in the retry queue when the scenario started (after any it ignored first). */
  readonly retryQueue: { readonly pending: number; readonly ignoredFirst: number };
  /** CPU the child (the engine) spent during the scenario. */
  readonly cpuMs: number;
  /** CPU the sandbox's process spent while the scenario ran (it serves both APIs on one thread). */
  readonly sandboxCpuMs: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly recordErrors: number;
  /** The record errors by entity, direction and code, with the first message of each. */
  readonly recordErrorKinds: readonly RecordErrorKind[];
  /** Records skipped, by entity and reason. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly phases: readonly PhaseReport[];
  readonly expectedWrites?: number;
  readonly notes: readonly string[];
  readonly targets: readonly Target[];
}

/** What the sandbox logged during the scenario, per API. */
export type SandboxCounts = Readonly<
  Record<
    Api,
    {
      readonly requests: number;
      readonly tooManyRequests: number;
      /** The most requests in flight at once. */
      readonly peakInFlight: number;
      /** Requests in flight on average over the scenario's wall time (the sum of their durations / wall). */
      readonly averageInFlight: number;
    }
  >
>;

const ratio = (value: number, bound: number): number | null => (bound > 0 ? Math.round((value / bound) * 1000) / 1000 : null);

function phaseReport(phase: PhaseTraffic, latencyMs: number): PhaseReport {
  const apis = {} as Record<Api, PhaseApiReport>;
  let slowest = 0;
  let slowestAtMinimum = 0;
  for (const api of APIS) {
    const traffic = phase.apis[api];
    const reads = traffic.reads.map((read) => ({ ...read, lowerBound: readLowerBound(api, read) }));
    const lowerBound = reads.reduce((sum, read) => sum + read.lowerBound, 0) + traffic.recordsWritten + traffic.refusedWrites;
    apis[api] = {
      requests: traffic.requests,
      lowerBound,
      tooManyRequests: traffic.tooManyRequests,
      failed: traffic.failed,
      reads,
      writes: traffic.writes,
      recordsWritten: traffic.recordsWritten,
      refusedWrites: traffic.refusedWrites,
    };
    // A refused request costs no latency: the sandbox answers 429 at once.
    slowest = Math.max(slowest, Math.ceil((traffic.requests - traffic.tooManyRequests) / SERVICE_LIMITS[api]));
    slowestAtMinimum = Math.max(slowestAtMinimum, Math.ceil(lowerBound / SERVICE_LIMITS[api]));
  }
  return { phase: phase.phase, wallMs: phase.wallMs, timeLowerBoundMs: slowest * latencyMs, timeLowerBoundAtMinimumMs: slowestAtMinimum * latencyMs, apis };
}

/** The report of one scenario. */
export function scenarioReport(input: {
  size: number;
  result: ChildResult;
  sandbox: SandboxCounts;
  sandboxCpuMs: number;
  latencyMs: number;
  expectedWrites?: number;
}): ScenarioReport {
  const { size, result, sandbox, latencyMs } = input;
  const notes: string[] = [];
  const phases = result.ok ? result.phases.map((phase) => phaseReport(phase, latencyMs)) : [];
  const requests = {} as Record<Api, ApiReport>;
  for (const api of APIS) {
    const sum = (pick: (report: PhaseApiReport) => number) => phases.reduce((total, phase) => total + pick(phase.apis[api]), 0);
    const madeByClient = sum((report) => report.requests);
    const writesMade = sum((report) => report.writes);
    const recordsWritten = sum((report) => report.recordsWritten);
    const refusedWrites = sum((report) => report.refusedWrites);
    const readsLowerBound = sum((report) => report.reads.reduce((total, read) => total + read.lowerBound, 0));
    requests[api] = {
      made: sandbox[api].requests,
      madeByClient,
      lowerBound: readsLowerBound + recordsWritten + refusedWrites,
      readsMade: madeByClient - writesMade,
      readsLowerBound,
      writesMade,
      recordsWritten,
      refusedWrites,
      tooManyRequests: sandbox[api].tooManyRequests,
      failed: sum((report) => report.failed),
      peakInFlight: sandbox[api].peakInFlight,
      averageInFlight: sandbox[api].averageInFlight,
    };
    if (result.ok && madeByClient !== sandbox[api].requests) notes.push(`${api}: the sandbox logged ${sandbox[api].requests} requests, the client's fetch counted ${madeByClient}`);
  }
  const made = requests.netsuite.made + requests.invoiced.made;
  const lowerBound = requests.netsuite.lowerBound + requests.invoiced.lowerBound;
  const timeLowerBoundMs = phases.reduce((total, phase) => total + phase.timeLowerBoundMs, 0);
  const timeLowerBoundAtMinimumMs = phases.reduce((total, phase) => total + phase.timeLowerBoundAtMinimumMs, 0);
  const wallMs = result.ok ? result.wallMs : 0;
  const timeRatio = ratio(wallMs, timeLowerBoundMs);
  const requestRatio = ratio(made, lowerBound);
  const written = requests.netsuite.recordsWritten + requests.invoiced.recordsWritten;
  if (input.expectedWrites !== undefined && written !== input.expectedWrites) {
    notes.push(`${written} records written where the bench changed ${input.expectedWrites}`);
  }
  const memory = result.ok ? result.memory : null;
  const retryQueue = result.ok ? result.retryQueue : { pending: 0, ignoredFirst: 0 };
  if (retryQueue.ignoredFirst > 0) notes.push(`ignored the ${retryQueue.ignoredFirst} records waiting in the retry queue first (nothing to retry)`);
  if (retryQueue.pending > 0) notes.push(`${retryQueue.pending} records waiting in the retry queue at the start${result.ok && result.scenario.startsWith('import') ? '' : ' (the sync retries them)'}`);

  const targets: Target[] = [];
  if (result.ok && result.scenario !== 'baseline') {
    targets.push({
      name: 'requests',
      description: `requests <= ${TARGETS.requestRatio} x lower bound`,
      value: requestRatio,
      met: requestRatio === null ? null : requestRatio <= TARGETS.requestRatio,
    });
    targets.push({ name: 'time', description: `wall <= ${TARGETS.timeRatio} x time lower bound`, value: timeRatio, met: timeRatio === null ? null : timeRatio <= TARGETS.timeRatio });
    if (UNCHANGED_SCENARIOS.has(result.scenario)) {
      targets.push({ name: 'unchanged', description: `nothing changed: <= ${TARGETS.unchangedRequests} requests`, value: made, met: made <= TARGETS.unchangedRequests });
    }
    targets.push({ name: 'memory', description: `peak RSS < ${TARGETS.peakRssMb} MB`, value: result.memory.peakRssMb, met: result.memory.peakRssMb < TARGETS.peakRssMb });
  }

  return {
    size,
    scenario: result.scenario,
    ok: result.ok,
    ...(result.ok ? {} : { error: result.error }),
    status: result.ok ? result.status : 'error',
    engineBuild: result.ok ? result.engineBuild : null,
    wallMs,
    timeLowerBoundMs,
    timeRatio,
    timeLowerBoundAtMinimumMs,
    requests: { ...requests, total: { made, lowerBound, ratio: requestRatio } },
    memory,
    retryQueue,
    cpuMs: result.ok ? result.cpuMs : 0,
    sandboxCpuMs: Math.round(input.sandboxCpuMs),
    counts: result.ok ? result.counts : {},
    recordErrors: result.ok ? result.recordErrors : 0,
    recordErrorKinds: result.ok ? result.recordErrorKinds : [],
    skipped: result.ok ? result.skipped : {},
    phases,
    ...(input.expectedWrites === undefined ? {} : { expectedWrites: input.expectedWrites }),
    notes,
    targets,
  };
}

/** The baseline's report: measured, extrapolated to every open invoice when it processed fewer, and the speed-up. */
export interface BaselineReport {
  readonly size: number;
  readonly measured: ScenarioReport;
  readonly invoicesProcessed: number;
  readonly openInvoices: number;
  readonly extrapolated: boolean;
  /** Wall time and requests for every open invoice (measured when `extrapolated` is false). */
  readonly full: { readonly wallMs: number; readonly requests: Readonly<Record<Api, number>> };
  /** Baseline wall / first-sync wall, and / the first sync's `netsuite_invoices` phase (the same work as the baseline's). */
  readonly speedUp: { readonly vsFirstSync: number | null; readonly vsInvoicePhase: number | null };
}

export function baselineReport(size: number, measured: ScenarioReport, result: ChildResult, firstSync: ScenarioReport | undefined): BaselineReport {
  const sample = result.ok ? result.sample : undefined;
  const processed = sample?.processed ?? 0;
  const total = sample?.total ?? 0;
  const scale = processed > 0 ? total / processed : 1;
  const listingMs = sample?.listingMs ?? 0;
  const full = {
    wallMs: Math.round(listingMs + (measured.wallMs - listingMs) * scale),
    requests: {
      netsuite: Math.round((sample?.listingRequests.netsuite ?? 0) + (measured.requests.netsuite.made - (sample?.listingRequests.netsuite ?? 0)) * scale),
      invoiced: Math.round((sample?.listingRequests.invoiced ?? 0) + (measured.requests.invoiced.made - (sample?.listingRequests.invoiced ?? 0)) * scale),
    },
  };
  const invoicePhase = firstSync?.phases.find((phase) => phase.phase === 'netsuite_invoices');
  const speed = (ms: number | undefined) => (ms === undefined || ms <= 0 || !measured.ok ? null : Math.round((full.wallMs / ms) * 10) / 10);
  return {
    size,
    measured,
    invoicesProcessed: processed,
    openInvoices: total,
    extrapolated: processed < total,
    full,
    speedUp: { vsFirstSync: speed(firstSync?.ok === true ? firstSync.wallMs : undefined), vsInvoicePhase: speed(invoicePhase?.wallMs) },
  };
}
