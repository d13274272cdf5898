/**
 * The bench's output: a table per run (one row per size and scenario, then the baseline) and the JSON
 * document with everything measured.
 */
import type { BaselineReport, ScenarioReport, Target } from '#bench/bounds';

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

/** The readable report. */
export function formatReport(sizes: readonly SizeReport[], options: { latencyMs: number; out: string }): string {
  const lines: string[] = [];
  const rows: string[][] = [];
  for (const size of sizes) {
    for (const scenario of size.scenarios) {
      if (!scenario.ok) {
        rows.push([count(size.size), scenario.scenario, 'ERROR', '', '', '', '', '', '', '', '', '', (scenario.error ?? '').split('\n')[0] ?? '']);
        continue;
      }
      const { netsuite, invoiced, total } = scenario.requests;
      rows.push([
        count(size.size),
        scenario.scenario,
        scenario.status,
        `${count(netsuite.made)} / ${count(netsuite.lowerBound)}`,
        `${count(invoiced.made)} / ${count(invoiced.lowerBound)}`,
        times(total.ratio),
        duration(scenario.wallMs),
        duration(scenario.timeLowerBoundMs),
        times(scenario.timeRatio),
        count(netsuite.tooManyRequests + invoiced.tooManyRequests),
        `${netsuite.averageInFlight.toFixed(1)} / ${invoiced.averageInFlight.toFixed(1)}`,
        scenario.memory === null ? '-' : `${scenario.memory.peakRssMb.toFixed(0)} MB (${scenario.memory.rssAtStartMb.toFixed(0)})`,
        scenario.targets.map(targetText).join(' '),
      ]);
    }
  }
  lines.push(`Latency ${options.latencyMs} ms a request; NetSuite 5 and Invoiced 20 requests in flight. Requests: made / lower bound.`);
  lines.push(
    ...table(
      ['size', 'scenario', 'status', 'NetSuite req', 'Invoiced req', 'req/LB', 'wall', 'time LB', 'wall/LB', '429s', 'in flight', 'peak RSS (start)', 'targets'],
      rows,
      new Set([0, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
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
        ['size', 'invoices', 'NetSuite req', 'Invoiced req', 'wall', 'first-sync wall', 'speed-up', 'vs invoice phase'],
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
              ]
            : [count(baseline.size), 'ERROR', '', '', '', '', '', (baseline.measured.error ?? '').split('\n')[0] ?? ''];
        }),
        new Set([0, 2, 3, 4, 5, 6, 7]),
      ),
    );
  }

  const notes = sizes.flatMap((size) => size.scenarios.flatMap((scenario) => scenario.notes.map((note) => `${count(size.size)} ${scenario.scenario}: ${note}`)));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  ${note}`));
  lines.push(
    '',
    'req LB: per phase and API, ceil(rows / page) for each kind of data read (SuiteQL 1000, Invoiced 100; at least 1; one per charge: Invoiced has no list of charges)',
    '        + one write per record written + one per write refused (4xx other than 429: known only by trying).',
    'time LB: per phase, max over the APIs of ceil(requests that got through / limit) x latency; phases add up.',
    "in flight: NetSuite / Invoiced requests in flight on average (sum of the sandbox's request durations / wall time; the limits are 5 / 20).",
    'peak RSS: the most the child process running the scenario held during it (its memory store included); (start): its RSS once the store was loaded.',
    `Details (per phase, per kind of read, counts, sandbox CPU): ${options.out}`,
  );
  return lines.join('\n');
}
