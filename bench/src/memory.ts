/**
 * The peak RSS of a stretch of a process's life. On Linux: the kernel's high-water mark (`VmHWM` in
 * /proc/self/status), reset at the start by writing 5 to /proc/self/clear_refs. `process.resourceUsage()
 * .maxRSS` will not do in a forked child: Linux carries the parent's high-water mark across fork and exec
 * into it, so a child of a large sandbox would report the sandbox's memory. Elsewhere, the most RSS seen
 * by a sampler. The sampler (every 50 ms) also keeps the largest V8 heap and the largest memory outside
 * it (buffers), to tell what the peak was made of.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The kernel's high-water mark of this process's RSS in bytes, or undefined where there is none to read. */
function highWaterMark(): number | undefined {
  try {
    const kilobytes = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's high-water mark to the current RSS; false where it cannot be done or read. */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return highWaterMark() !== undefined;
  } catch {
    return false;
  }
}

/** What {@link PeakRss.stop} found, in bytes. */
export interface PeakMemory {
  readonly rss: number;
  readonly method: 'VmHWM' | 'sampled';
  /** The largest V8 heap (`heapTotal`) sampled. */
  readonly heapTotal: number;
  /** The largest memory outside the V8 heap (`external`, which holds `arrayBuffers`) sampled. */
  readonly external: number;
}

/** Measures the peak RSS from now on. */
export class PeakRss {
  readonly #method: 'VmHWM' | 'sampled';
  #rss = 0;
  #heapTotal = 0;
  #external = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#method = resetHighWaterMark() ? 'VmHWM' : 'sampled';
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), 50);
    this.#timer.unref();
  }

  #sample(): void {
    const usage = process.memoryUsage();
    this.#rss = Math.max(this.#rss, usage.rss);
    this.#heapTotal = Math.max(this.#heapTotal, usage.heapTotal);
    this.#external = Math.max(this.#external, usage.external);
  }

  /** The most this process held since the constructor; stops sampling. */
  stop(): PeakMemory {
    clearInterval(this.#timer);
    this.#sample();
    const rss = this.#method === 'VmHWM' ? Math.max(highWaterMark() ?? this.#rss, this.#rss) : this.#rss;
    return { rss, method: this.#method, heapTotal: this.#heapTotal, external: this.#external };
  }
}
