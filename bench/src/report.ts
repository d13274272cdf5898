/**
 * The bench's output: a table per run (one row per size and scenario, then the baseline) and the JSON
 * document with everything measured.
 */
import type { BaselineReport, ScenarioReport, Target } from '#bench/bounds';
import { latencyText, type LatencyProfile } from '#bench/latency';
import type { StoreName } from '#bench/protocol';

/** Everything measured for one size. */
export interface SizeReport {
  readonly size: number;
  readonly books: Readonly<Record<string, number>>;
  /** Time and memory the sandbox took to generate and load the books (in the bench's own process). */
  readonly sandbox: { readonly generateMs: number; readonly loads: readonly { readonly purpose: string; readonly loadMs: number; readonly parentRssMb: number }[] };
  readonly scenarios: readonly ScenarioReport[];
  readonly baseline: BaselineReport | null;
  readonly changes?: Readonly<Record<string, number>>;
}

const integer = new Intl.NumberFormat('en-US');
const count = (value: number) => integer.format(value);

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

const times = (value: number | null) => (value === null ? '-' : `${value.toFixed(2)}x`);
const perRecord = (value: number | null) => (value === null ? '-' : value.toFixed(value < 10 ? 2 : 1));

function targetText(target: Target): string {
  const label = { requests: 'req', time: 'time', unchanged: '<=8', memory: 'rss' }[target.name];
  return `${label}:${target.met === null ? 'n/a' : target.met ? 'met' : 'NOT MET'}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (rightAligned.has(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The record counts the report lists: the engine's `<entity>s_<action>` counts (credit applications are links of credits to invoices). */
export const RECORD_COLUMNS: readonly { readonly title: string; readonly entity: string }[] = [
  { title: 'customers', entity: 'customers' },
  { title: 'invoices', entity: 'invoices' },
  { title: 'credit notes', entity: 'creditNotes' },
  { title: 'credit appl.', entity: 'credit_applications' },
  { title: 'payments', entity: 'payments' },
  { title: 'refunds', entity: 'refunds' },
];

/** `created / updated` of one entity, `+ n` for those voided or deleted, `-` when none. */
export function recordCell(counts: Readonly<Record<string, number>>, entity: string): string {
  const value = (action: string) => counts[`${entity}_${action}`] ?? 0;
  // Voids and deletions are counted under `credit_notes_...` where the actions say `creditNotes_...`.
  const snake = entity === 'creditNotes' ? 'credit_notes' : entity;
  const gone = (counts[`${snake}_voided`] ?? 0) + (counts[`${snake}_deleted_in_netsuite`] ?? 0);
  const created = value('created');
  const updated = value('updated');
  if (created + updated + gone === 0) return '-';
  return `${count(created)} / ${count(updated)}${gone > 0 ? ` + ${count(gone)}` : ''}`;
}

function recordRows(sizes: readonly SizeReport[]): string[][] {
  return sizes.flatMap((size) =>
    size.scenarios.filter((scenario) => scenario.ok).map((scenario) => [count(size.size), scenario.scenario, ...RECORD_COLUMNS.map((column) => recordCell(scenario.counts, column.entity)), count(scenario.recordErrors)]),
  );
}

/** One row of the main table. */
function scenarioRow(size: number, scenario: ScenarioReport): string[] {
  if (!scenario.ok) return [count(size), scenario.scenario, 'ERROR', '', '', '', '', '', '', '', '', '', '', '', (scenario.error ?? '').split('\n')[0] ?? ''];
  const { netsuite, invoiced, total } = scenario.requests;
  return [
    count(size),
    scenario.scenario,
    scenario.status,
    `${count(netsuite.made)} / ${count(netsuite.lowerBound)}`,
    `${count(invoiced.made)} / ${count(invoiced.lowerBound)}`,
    times(total.ratio),
    duration(scenario.wallMs),
    duration(scenario.timeLowerBoundMs),
    times(scenario.timeRatio),
    duration(scenario.phasesTimeLowerBoundMs),
    count(netsuite.tooManyRequests + invoiced.tooManyRequests),
    `${netsuite.averageInFlight.toFixed(1)} / ${invoiced.averageInFlight.toFixed(1)}`,
    perRecord(scenario.cpuMsPerRecord),
    scenario.memory === null ? '-' : `${scenario.memory.peakRssMb.toFixed(0)} MB (${scenario.memory.rssAtStartMb.toFixed(0)})`,
    scenario.targets.map(targetText).join(' '),
  ];
}

/** When each phase of the first syncs ran (ms from the scenario's start): overlapping phases show here. */
function phaseLines(sizes: readonly SizeReport[]): string[] {
  const lines: string[] = [];
  for (const size of sizes) {
    const first = size.scenarios.find((scenario) => scenario.scenario === 'first-sync' && scenario.ok);
    if (first === undefined) continue;
    const phases = first.phases.filter((phase) => phase.phase !== '(outside phases)');
    lines.push('', `Phases of first-sync, ${count(size.size)} invoices (start - end from the sync's start; each phase's own time bound and Invoiced page chain):`);
    lines.push(
      ...table(
        ['phase', 'start', 'end', 'wall', 'time LB', 'chain LB'],
        phases.map((phase) => [phase.phase, duration(phase.startMs), duration(phase.endMs), duration(phase.wallMs), duration(phase.timeLowerBoundMs), duration(phase.chainLowerBoundMs)]),
        new Set([1, 2, 3, 4, 5]),
      ),
    );
  }
  return lines;
}

/** The profile in a line: `20ms (20 ms a request on both services)`. */
function profileText(profile: LatencyProfile): string {
  const netsuite = latencyText(profile.netsuite);
  const invoiced = latencyText(profile.invoiced);
  return netsuite === invoiced ? `${profile.name} (${netsuite} a request on both services)` : `${profile.name} (NetSuite ${netsuite}, Invoiced ${invoiced} a request, uniform)`;
}

/** The readable report. */
export function formatReport(sizes: readonly SizeReport[], options: { profile: LatencyProfile; store: StoreName; childMemoryMb?: number | null; out: string }): string {
  const lines: string[] = [];
  const rows = sizes.flatMap((size) => size.scenarios.map((scenario) => scenarioRow(size.size, scenario)));
  const cgroup = options.childMemoryMb == null ? '' : `; each child in a memory cgroup of ${options.childMemoryMb} MB`;
  lines.push(`Latency profile ${profileText(options.profile)}; ${options.store} store${cgroup}; NetSuite 5 and Invoiced 20 requests in flight. Requests: made / lower bound.`);
  lines.push(
    ...table(
      ['size', 'scenario', 'status', 'NetSuite req', 'Invoiced req', 'req/LB', 'wall', 'sync LB', 'wall/LB', 'phases LB', '429s', 'in flight', 'CPU ms/rec', 'peak RSS (start)', 'targets'],
      rows,
      new Set([0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    ),
  );

  lines.push('', 'Records written by each scenario (created / updated; voided or deleted after a +), and record errors:');
  lines.push(...table(['size', 'scenario', ...RECORD_COLUMNS.map((column) => column.title), 'errors'], recordRows(sizes), new Set([0, ...RECORD_COLUMNS.map((_, index) => index + 2), RECORD_COLUMNS.length + 2])));
  const errorKinds = sizes.flatMap((size) =>
    size.scenarios.flatMap((scenario) => scenario.recordErrorKinds.map((kind) => `  ${count(size.size)} ${scenario.scenario}: ${kind.count} x ${kind.entity} ${kind.direction} ${kind.code} (e.g. ${kind.example})`)),
  );
  if (errorKinds.length > 0) lines.push('', 'Record errors by code (each with its first message):', ...errorKinds);

  const baselines = sizes.flatMap((size) => (size.baseline === null ? [] : [size.baseline]));
  if (baselines.length > 0) {
    lines.push('', 'Baseline: list IDs, GET each invoice, find/create its customer, create it on Invoiced, one request at a time.');
    lines.push(
      ...table(
        ['size', 'invoices', 'NetSuite req', 'Invoiced req', 'wall', 'first-sync wall', 'speed-up', 'vs invoice phase', 'CPU ms/rec', 'first-sync CPU ms/rec'],
        baselines.map((baseline) => {
          const firstSync = sizes.find((size) => size.size === baseline.size)?.scenarios.find((scenario) => scenario.scenario === 'first-sync');
          const estimated = baseline.extrapolated ? ' (est.)' : '';
          return baseline.measured.ok
            ? [
                count(baseline.size),
                baseline.extrapolated ? `${count(baseline.invoicesProcessed)} of ${count(baseline.openInvoices)}` : count(baseline.openInvoices),
                `${count(baseline.full.requests.netsuite)}${estimated}`,
                `${count(baseline.full.requests.invoiced)}${estimated}`,
                `${duration(baseline.full.wallMs)}${estimated}`,
                firstSync?.ok === true ? duration(firstSync.wallMs) : '-',
                baseline.speedUp.vsFirstSync === null ? '-' : `${baseline.speedUp.vsFirstSync}x`,
                baseline.speedUp.vsInvoicePhase === null ? '-' : `${baseline.speedUp.vsInvoicePhase}x`,
                perRecord(baseline.measured.cpuMsPerRecord),
                firstSync?.ok === true ? perRecord(firstSync.cpuMsPerRecord) : '-',
              ]
            : [count(baseline.size), 'ERROR', '', '', '', '', '', '', '', (baseline.measured.error ?? '').split('\n')[0] ?? ''];
        }),
        new Set([0, 2, 3, 4, 5, 6, 7, 8, 9]),
      ),
    );
  }

  lines.push(...phaseLines(sizes));

  const notes = sizes.flatMap((size) => size.scenarios.flatMap((scenario) => scenario.notes.map((note) => `${count(size.size)} ${scenario.scenario}: ${note}`)));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  ${note}`));
  lines.push(
    '',
    'req LB: per phase and API, ceil(rows / page) for each kind of data read (SuiteQL 1000, Invoiced 100; at least 1; one per charge: Invoiced has no list of charges)',
    '        + one write per record written + one per write refused (4xx other than 429: known only by trying).',
    "sync LB (the time target's): the whole sync at best, the larger of each API's bound and the chain bound.",
    "        An API's: ceil(its requests that got through / limit) x its mean latency, its first write waiting",
    '        one mean latency of the other API for a read (only reads run on it meanwhile).',
    "        The chain: the longest Invoiced list of a phase (its pages follow Link: next, one after another) x Invoiced's mean latency.",
    "phases LB: per phase, max over the APIs of ceil(requests that got through / limit) x mean latency, summed: phases run one after another",
    '        (phases that overlap can beat it).',
    "in flight: NetSuite / Invoiced requests in flight on average (sum of the sandbox's request durations / wall time; the limits are 5 / 20).",
    'CPU ms/rec: CPU the child spent / records written on both APIs (the baseline: / its writes if it counted no records written).',
    'peak RSS: the most the child process running the scenario held during it (its store included: the links of a memory store, the page cache of a SQLite one); (start): its RSS once the store was loaded.',
    `Details (per phase, per kind of read, counts, sandbox CPU): ${options.out}`,
  );
  return lines.join('\n');
}
