import { FaultInjector, type FaultKind } from './faults';
import type { SandboxOutcome, SandboxRequest, ServiceHandler } from './http';
import type { Random } from './random';

/** The simulated services. */
export type ServiceName = 'netsuite' | 'invoiced';

/** One request as the sandbox saw it. */
export interface RequestLogEntry {
  readonly service: ServiceName;
  /** 1 for the service's first request. */
  readonly seq: number;
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Query parameters (repeated keys keep the last value). */
  readonly query: Readonly<Record<string, string>>;
  /** HTTP status answered, or what happened instead. */
  readonly status: number | 'dropped' | 'hung';
  /** The fault injected, or `concurrency_limit` when the request was over the service's limit. */
  readonly fault: FaultKind | 'concurrency_limit' | undefined;
  /** Requests in flight when this one arrived (itself not included). */
  readonly inFlightOnArrival: number;
  readonly durationMs: number;
}

/** How a service is governed. */
export interface GovernanceOptions {
  readonly name: ServiceName;
  /** Requests in flight at most; one more is refused at once with the service's 429. */
  readonly concurrencyLimit: number;
  /** Added delay per request: fixed, or drawn from a range with the sandbox's seed. */
  readonly latencyMs: number | { readonly min: number; readonly max: number };
  readonly random: Random;
  /** The service's own answer when it is over its concurrency limit. */
  readonly tooManyRequests: () => SandboxOutcome;
  /** The service's own answer to an internal error. */
  readonly serverError: () => SandboxOutcome;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A service behind the sandbox's governance: the concurrency limit, latency, the fault plan and the
 * request log, applied the same way whichever transport (msw or `node:http`) carries the request.
 */
export class GovernedService {
  readonly name: ServiceName;
  /** The fault plan of this service. */
  readonly faults = new FaultInjector();
  readonly #handler: ServiceHandler;
  readonly #options: GovernanceOptions;
  readonly #log: RequestLogEntry[] = [];
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(handler: ServiceHandler, options: GovernanceOptions) {
    this.name = options.name;
    this.#handler = handler;
    this.#options = options;
  }

  /** Every request so far, in arrival order. */
  get requests(): readonly RequestLogEntry[] {
    return this.#log;
  }

  /** Requests in flight now, and the most at once so far (refused requests do not count). */
  get stats(): { inFlight: number; peakInFlight: number; requests: number; refused: number } {
    return {
      inFlight: this.#inFlight,
      peakInFlight: this.#peakInFlight,
      requests: this.#log.length,
      refused: this.#log.filter((entry) => entry.fault === 'concurrency_limit').length,
    };
  }

  /** Forgets the request log and the peak. */
  clearRequests(): void {
    this.#log.length = 0;
    this.#peakInFlight = this.#inFlight;
  }

  /** Handles one request. */
  async handle(request: SandboxRequest): Promise<SandboxOutcome> {
    const started = performance.now();
    const seq = this.#log.length + 1;
    const inFlightOnArrival = this.#inFlight;
    const record = (outcome: SandboxOutcome, fault: RequestLogEntry['fault']) => {
      this.#log.push({
        service: this.name,
        seq,
        method: request.method,
        path: request.url.pathname,
        query: Object.fromEntries(request.url.searchParams),
        status: outcome.kind === 'response' ? outcome.status : outcome.kind === 'drop' ? 'dropped' : 'hung',
        fault,
        inFlightOnArrival,
        durationMs: Math.round(performance.now() - started),
      });
      return outcome;
    };

    if (this.#inFlight >= this.#options.concurrencyLimit) {
      return record(this.#options.tooManyRequests(), 'concurrency_limit');
    }
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    try {
      const { latencyMs, random } = this.#options;
      await sleep(typeof latencyMs === 'number' ? latencyMs : random.int(latencyMs.min, latencyMs.max));
      const fault = this.faults.next(request.method, request.url.pathname);
      switch (fault) {
        case 'rate_limit':
          return record(this.#options.tooManyRequests(), fault);
        case 'server_error':
          return record(this.#options.serverError(), fault);
        case 'timeout':
          return record({ kind: 'hang' }, fault);
        case 'drop':
          return record({ kind: 'drop' }, fault);
        case 'lost_response':
          await this.#handler(request);
          return record({ kind: 'drop' }, fault);
        default:
          return record(await this.#handler(request), undefined);
      }
    } catch (error) {
      // A bug in the model must fail the test that met it, loudly, not hang its socket.
      return record(
        { kind: 'response', status: 500, headers: { 'content-type': 'application/json' }, body: { sandboxError: error instanceof Error ? error.message : String(error) } },
        undefined,
      );
    } finally {
      this.#inFlight -= 1;
    }
  }
}
