/**
 * Progress of long runs on stderr: a bar redrawn in place on a terminal, plain lines otherwise (logs,
 * pipes, CI), nothing with `--json` or `--no-progress`.
 */
import type { ImportProgress, SyncEvent } from '@invoiced/netsuite-sync';
import { formatNumber, phaseLabel, summarizeCounts } from './format';
import type { Output } from './output';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/** The mode for an output: a bar on a terminal, lines otherwise, nothing when asked or with `--json`. */
export function progressModeOf(output: Output, enabled: boolean): ProgressMode {
  if (!enabled || output.json) return 'off';
  return output.stderr.isTTY === true ? 'bar' : 'lines';
}

/** Redraws at most this often, in milliseconds. */
const REDRAW_MS = 80;
const BAR_WIDTH = 16;

/** One line of stderr redrawn in place. */
class StatusLine {
  #lastDraw = 0;
  #shown = false;

  constructor(private readonly output: Output) {}

  draw(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    // A terminal of unknown size (some pseudo-terminals say 0 columns) is taken as 80 wide.
    const columns = this.output.stderr.columns ?? 0;
    const width = Math.max(20, (columns > 0 ? columns : 80) - 1);
    const visible = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.output.rawErr(`\r\u001b[2K${visible}`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) this.output.rawErr('\r\u001b[2K');
    this.#shown = false;
  }
}

/** A bar of `ratio` (0 to 1). */
function bar(ratio: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, ratio)) * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
}

/** Progress of one sync run, fed with the engine's events. */
export interface SyncProgress {
  onEvent(event: SyncEvent): void;
  /** Removes the bar (call before printing the result). */
  finish(): void;
}

/**
 * Progress of a sync: the phases finished (of those enabled) and those running (phases that do not
 * depend on each other run at the same time), records handled and failed so far. With lines, one line per
 * phase when it finishes, saying what it did (its own counts).
 */
export function syncProgress(output: Output, mode: ProgressMode, enabledPhases: number): SyncProgress {
  const line = new StatusLine(output);
  const running: string[] = [];
  let finished = 0;
  let records = 0;
  let failed = 0;
  const redraw = (force = false) => {
    if (mode !== 'bar') return;
    // No colours in the bar: it is cut to the terminal's width, which must not cut an escape sequence.
    const failures = failed > 0 ? ` · ${formatNumber(failed)} failed` : '';
    const phases = running.map((phase) => phaseLabel(phase)).join(', ');
    line.draw(`${bar(finished / Math.max(1, enabledPhases))} ${finished}/${enabledPhases} ${phases === '' ? 'phases done' : phases} · ${formatNumber(records)} records${failures}`, force);
  };
  return {
    onEvent(event) {
      if (mode === 'off') return;
      switch (event.type) {
        case 'phase_started':
          running.push(event.phase);
          redraw(true);
          break;
        case 'record_synced':
        case 'record_skipped':
          records += 1;
          redraw();
          break;
        case 'record_failed':
          records += 1;
          failed += 1;
          redraw();
          break;
        case 'phase_finished': {
          const index = running.indexOf(event.phase);
          if (index >= 0) running.splice(index, 1);
          finished += 1;
          if (mode === 'lines') output.note(`  ${phaseLabel(event.phase)}: ${summarizeCounts(event.phaseCounts)}`);
          redraw(true);
          break;
        }
        case 'run_started':
        case 'run_finished':
          break;
      }
    },
    finish: () => line.clear(),
  };
}

/** Progress of one import job, fed with its `onProgress`. */
export interface ImportProgressView {
  update(progress: ImportProgress): void;
  finish(): void;
}

/** Progress of an import: a bar with the total once it is counted; with lines, one every tenth of the way. */
export function importProgress(output: Output, mode: ProgressMode, noun: string): ImportProgressView {
  const line = new StatusLine(output);
  // The first line comes after a tenth of the way.
  let lastTenth = 0;
  return {
    update({ processed, total }) {
      if (mode === 'bar') {
        const done = processed === total;
        line.draw(
          total === null || total === 0
            ? `${formatNumber(processed)} ${noun}`
            : `${bar(processed / total)} ${Math.floor((processed / total) * 100)}% ${formatNumber(processed)}/${formatNumber(total)} ${noun}`,
          done,
        );
      } else if (mode === 'lines' && total !== null && total > 0) {
        const tenth = Math.floor((processed / total) * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          output.note(`  ${formatNumber(processed)}/${formatNumber(total)} ${noun} (${tenth * 10}%)`);
        }
      }
    },
    finish: () => line.clear(),
  };
}
