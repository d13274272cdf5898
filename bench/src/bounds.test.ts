/**
 * The bench's time bounds: the whole sync's (each API's, with the wait of a write for the other API's read,
 * and the chain of Invoiced list pages), the phases' sum, CPU per record, the per-profile time target and the
 * --profile / --latency flags. The bench has no vitest project; run with `node --test bench/src/bounds.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainBound, scenarioReport, wholeSyncBounds, type SandboxCounts } from '#bench/bounds';
import { parseFlags, UsageError } from '#bench/flags';
import { fixedProfile, meanLatency, PROFILES } from '#bench/latency';
import type { ApiTraffic, ChildResult, PhaseTraffic } from '#bench/protocol';

const traffic = (overrides: Partial<ApiTraffic> = {}): ApiTraffic => ({ requests: 0, tooManyRequests: 0, failed: 0, reads: [], writes: 0, recordsWritten: 0, refusedWrites: 0, ...overrides });

function result(phases: PhaseTraffic[], wallMs = 1500): ChildResult {
  return {
    ok: true,
    scenario: 'first-sync',
    engineBuild: 'test',
    wallMs,
    status: 'succeeded',
    counts: {},
    recordErrors: 0,
    recordErrorKinds: [],
    skipped: {},
    phases,
    cpuMs: 50,
    memory: { rssAtStartMb: 1, peakRssMb: 2, method: 'sampled', peakHeapTotalMb: 1, peakExternalMb: 0, heapAtStartMb: 1, heapAfterGcMb: 1 },
    retryQueue: { pending: 0, ignoredFirst: 0 },
  };
}

const sandbox = (netsuite: number, invoiced: number): SandboxCounts => ({
  netsuite: { requests: netsuite, tooManyRequests: 0, peakInFlight: 5, averageInFlight: 1 },
  invoiced: { requests: invoiced, tooManyRequests: 0, peakInFlight: 20, averageInFlight: 10 },
});

void describe('latency', () => {
  void it('takes the mean of a range and names a fixed custom profile', () => {
    assert.equal(meanLatency(PROFILES.realistic.netsuite), 400);
    assert.equal(meanLatency(PROFILES.realistic.invoiced), 150);
    assert.equal(meanLatency(PROFILES['20ms'].invoiced), 20);
    assert.deepEqual(fixedProfile(50), { name: '50ms', netsuite: 50, invoiced: 50 });
  });

  void it('takes --profile (default 20ms) or a fixed --latency, not both', () => {
    assert.equal(parseFlags([]).profile.name, '20ms');
    assert.equal(parseFlags(['--profile', 'realistic']).profile, PROFILES.realistic);
    assert.deepEqual(parseFlags(['--latency', '50']).profile, fixedProfile(50));
    assert.throws(() => parseFlags(['--profile', 'zero', '--latency', '5']), (error: unknown) => error instanceof UsageError && /--profile and --latency/.test(error.message));
    assert.throws(() => parseFlags(['--profile', 'slow']), UsageError);
  });
});

void describe('whole-sync bound of each API', () => {
  const fixed = PROFILES['20ms'];

  void it('adds the wait for the other API to a write-heavy API', () => {
    // Invoiced: 1,000 writes; NetSuite: 10 reads. Invoiced's first write waits 20 ms, then 50 rounds.
    assert.deepEqual(wholeSyncBounds({ netsuite: { requests: 10, reads: 10 }, invoiced: { requests: 1000, reads: 0 } }, fixed), { netsuite: 40, invoiced: 1020 });
  });

  void it('lets reads fill the wait: no more than the requests in rounds when they can', () => {
    // Invoiced: 100 reads then 1 write; its reads fill the first round while NetSuite's read runs: 6 rounds, 120 ms.
    assert.deepEqual(wholeSyncBounds({ netsuite: { requests: 1, reads: 1 }, invoiced: { requests: 101, reads: 100 } }, fixed), { netsuite: 20, invoiced: 120 });
  });

  void it('adds no wait when nothing is written, or the other API was not read', () => {
    assert.deepEqual(wholeSyncBounds({ netsuite: { requests: 3, reads: 3 }, invoiced: { requests: 5, reads: 5 } }, fixed), { netsuite: 20, invoiced: 20 });
    assert.deepEqual(wholeSyncBounds({ netsuite: { requests: 0, reads: 0 }, invoiced: { requests: 5, reads: 0 } }, fixed), { netsuite: 0, invoiced: 20 });
  });

  void it('uses each API its own mean latency, and the other its own for the wait', () => {
    // NetSuite 400 ms: 12 requests, 2 of them writes, waiting 150 ms for an Invoiced read; 5 reads fit in
    // the first 400 ms round, the other 7 requests take 2 rounds after the wait.
    assert.deepEqual(wholeSyncBounds({ netsuite: { requests: 12, reads: 10 }, invoiced: { requests: 40, reads: 40 } }, PROFILES.realistic), { netsuite: 1200, invoiced: 300 });
  });
});

void describe('chain bound', () => {
  void it('takes the longest single Invoiced list, not the count of lookups of one kind', () => {
    const reads = [
      { kind: 'GET invoices ?filter[draft]&updated_after', requests: 50, rows: 4972, pages: 50 },
      { kind: 'GET payments ?filter[reference]&include', requests: 120, rows: 0, pages: 1 },
      { kind: 'GET customers/:id', requests: 300, rows: 300 },
    ];
    assert.equal(chainBound(reads, PROFILES.realistic), 50 * 150);
    assert.equal(chainBound([], PROFILES.realistic), 0);
  });
});

void describe('scenario time bounds', () => {
  const phase = (name: string, startMs: number, endMs: number, apis: { netsuite: ApiTraffic; invoiced: ApiTraffic }): PhaseTraffic => ({ phase: name, wallMs: endMs - startMs, startMs, endMs, apis });
  // Two phases that ran side by side: NetSuite invoices to Invoiced, Invoiced payments to NetSuite.
  const phases = [
    phase('netsuite_invoices', 0, 1400, {
      netsuite: traffic({ requests: 2, reads: [{ kind: 'suiteql transaction CustInvc', requests: 2, rows: 1500 }] }),
      invoiced: traffic({ requests: 1000, writes: 1000, recordsWritten: 1000 }),
    }),
    phase('invoiced_payments', 100, 1500, {
      netsuite: traffic({ requests: 10, writes: 10, recordsWritten: 10 }),
      invoiced: traffic({ requests: 30, reads: [{ kind: 'GET payments ?include&updated_after', requests: 30, rows: 2950, pages: 30 }] }),
    }),
  ];

  void it('bounds the whole sync by each API and the chain, and keeps the phases\' sum apart', () => {
    const report = scenarioReport({ size: 1000, result: result(phases), sandbox: sandbox(12, 1030), sandboxCpuMs: 0, profile: PROFILES['20ms'] });
    // Invoiced: 1,030 requests, 30 reads that fill the first round while NetSuite's read runs: 20 + 51 x 20.
    assert.deepEqual(report.timeLowerBoundByApiMs, { netsuite: 60, invoiced: 1040 });
    assert.equal(report.chainLowerBoundMs, 30 * 20);
    assert.equal(report.timeLowerBoundMs, 1040);
    assert.equal(report.phasesTimeLowerBoundMs, 1000 + 40);
    assert.equal(report.timeRatio, Math.round((1500 / 1040) * 1000) / 1000);
    assert.deepEqual(
      report.phases.map((entry) => [entry.phase, entry.startMs, entry.endMs, entry.chainLowerBoundMs]),
      [
        ['netsuite_invoices', 0, 1400, 0],
        ['invoiced_payments', 100, 1500, 600],
      ],
    );
    assert.equal(report.cpuMsPerRecord, 0.05, '50 ms of CPU over 1,010 records written');
    assert.deepEqual(report.targets.find((target) => target.name === 'time')?.met, true, '1.44 <= 1.5 with a fixed profile');
  });

  void it('holds realistic runs to the tighter time target, and a long chain bounds the whole sync', () => {
    // 9.5 s against a bound of 7.9 s: 1.2x, within 1.5 but not 1.2.
    const report = scenarioReport({ size: 1000, result: result(phases, 9500), sandbox: sandbox(12, 1030), sandboxCpuMs: 0, profile: PROFILES.realistic });
    // Invoiced: the wait for NetSuite's 400 ms read lets at most 20 x ceil(400 / 150) = 60 requests start, only its 30 reads: 400 + 50 x 150.
    assert.equal(report.timeLowerBoundByApiMs.invoiced, 400 + 50 * 150);
    assert.equal(report.chainLowerBoundMs, 30 * 150);
    const time = report.targets.find((target) => target.name === 'time');
    assert.match(time?.description ?? '', /1\.2 x/);
    assert.equal(report.timeRatio, 1.203);
    assert.equal(time?.met, false);

    const chained = scenarioReport({
      size: 1000,
      result: result([phase('invoiced_invoices', 0, 9000, { netsuite: traffic(), invoiced: traffic({ requests: 50, reads: [{ kind: 'GET invoices ?updated_after', requests: 50, rows: 4990, pages: 50 }] }) })]),
      sandbox: sandbox(0, 50),
      sandboxCpuMs: 0,
      profile: PROFILES.realistic,
    });
    assert.deepEqual([chained.timeLowerBoundByApiMs.invoiced, chained.chainLowerBoundMs, chained.timeLowerBoundMs], [3 * 150, 50 * 150, 50 * 150]);
    assert.equal(chained.cpuMsPerRecord, null, 'no records written');
  });
});
