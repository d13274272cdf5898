/**
 * Time limits and cancellation of the shared transport: a request's overall deadline, waits that stop on
 * an abort, and a response body read that is cancelled (not just abandoned) when its signal aborts, so
 * nothing keeps running behind a request that has failed.
 *
 * Not part of the public API.
 */

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `task`, unless `signal` aborts first: then it rejects at once with the reason, and a value
 * `task` still produces later is handed to `onLateValue` (e.g. to cancel a response body nobody reads).
 */
export function raceAbort<T>(task: Promise<T>, signal: AbortSignal | undefined, onLateValue?: (value: T) => void): Promise<T> {
  if (signal === undefined) return task;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      reject(signal.reason as Error);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    task.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) onLateValue?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Reads a response body as UTF-8 text (what `Response.text()` does), but cancels the stream as soon as
 * `signal` aborts, so a body that never ends neither holds the read nor the connection. Rejects with the
 * signal's reason after an abort.
 */
export async function readBodyText(response: Response, signal: AbortSignal): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const reader = body.getReader();
  const onAbort = () => {
    reader.cancel(signal.reason).catch(() => undefined);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      // A cancel resolves a pending read as done: the abort check below tells it from a real end.
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (signal.aborted) break;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw signal.reason;
  return text + decoder.decode();
}

/**
 * Makes `controller` abort with `parent`'s reason when `parent` aborts (at once if it has); returns the
 * function that stops following it. Used instead of `AbortSignal.any`, whose signals are registered with a
 * finalization registry and kept (with everything their listeners hold) until a full garbage collection:
 * one per request made every request's objects outlive the young generation.
 */
export function followAbort(controller: AbortController, parent: AbortSignal | undefined): () => void {
  if (parent === undefined) return () => undefined;
  if (parent.aborted) {
    controller.abort(parent.reason);
    return () => undefined;
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return () => parent.removeEventListener('abort', onAbort);
}

/** The reason a request's deadline signal aborts with. */
export class DeadlineExceeded extends Error {
  override name = 'TimeoutError';
  constructor(deadlineMs: number) {
    super(`The request did not complete within its deadline of ${deadlineMs} ms.`);
  }
}

/**
 * The overall deadline of one request: its attempts, their bodies, and the waits between them. The clock
 * starts with `start()` (when the first attempt gets its concurrency slot), so time spent queued behind
 * other requests before that does not count. `signal` aborts when the deadline passes, or with the
 * caller's signal.
 */
export class RequestDeadline {
  readonly #controller = new AbortController();
  readonly #ms: number;
  /** Aborts with the caller's reason, or a {@link DeadlineExceeded} when the deadline passes. */
  readonly signal: AbortSignal;
  #endsAt: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired = false;

  readonly #unlink: () => void;

  constructor(ms: number, outer: AbortSignal | undefined) {
    this.#ms = ms;
    this.signal = this.#controller.signal;
    this.#unlink = followAbort(this.#controller, outer);
  }

  /** The deadline's length, in milliseconds. */
  get ms(): number {
    return this.#ms;
  }

  /** Starts the clock; later calls do nothing. */
  start(): void {
    if (this.#endsAt !== undefined) return;
    this.#endsAt = performance.now() + this.#ms;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new DeadlineExceeded(this.#ms));
    }, this.#ms);
  }

  /** Whether the deadline has passed (not whether the caller aborted). */
  get expired(): boolean {
    return this.#expired;
  }

  /** Milliseconds left; the whole deadline before `start()`. */
  remainingMs(): number {
    return this.#endsAt === undefined ? this.#ms : Math.max(0, this.#endsAt - performance.now());
  }

  /** Stops the timer, and stops following the caller's signal, once the request has settled. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#unlink();
  }
}
