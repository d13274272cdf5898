import { z } from 'zod';
import { createRandom, type Random } from './random';

/**
 * The faults the sandbox can inject into a request:
 * - `rate_limit`: the service's own 429 answer, before any work;
 * - `server_error`: a 500 (NetSuite- or Invoiced-shaped), before any work;
 * - `timeout`: no answer at all, until the client gives up;
 * - `drop`: the connection is closed before any work;
 * - `lost_response`: the request is carried out (a write is saved) and then the connection is closed
 *   before the answer is sent: the case that makes naive syncs create duplicates.
 */
export type FaultKind = 'rate_limit' | 'server_error' | 'timeout' | 'drop' | 'lost_response';

export const FAULT_KINDS: readonly FaultKind[] = ['rate_limit', 'server_error', 'timeout', 'drop', 'lost_response'];

/** Which requests a plan applies to. */
export interface FaultMatch {
  /** HTTP methods, upper case. @default every method */
  methods?: readonly string[];
  /** Only requests whose path contains this text (e.g. `/record/v1/invoice` or `/payments`). */
  pathIncludes?: string;
}

/**
 * A seeded plan of faults for one service. Requests are numbered from 1 per service, in arrival order;
 * `schedule` names faults for given request numbers, `rates` draws the rest from the seed, so the same
 * seed and the same sequence of requests give the same faults.
 *
 * @example
 * sandbox.netsuite.faults.set({ seed: 7, rates: { rate_limit: 0.05, lost_response: 0.01 } });
 * sandbox.invoiced.faults.set({ schedule: [{ request: 3, fault: 'lost_response' }] });
 */
export interface FaultPlan {
  /** Seed of the draws. @default 1 */
  seed?: number | string;
  /** Probability of each fault per matching request (their sum must not exceed 1). */
  rates?: Partial<Record<FaultKind, number>>;
  /** Exact faults for given request numbers (counted over matching requests, from 1). */
  schedule?: readonly { request: number; fault: FaultKind }[];
  /** Limit the plan to some requests. */
  match?: FaultMatch;
}

const faultKind = z.enum(['rate_limit', 'server_error', 'timeout', 'drop', 'lost_response']);
const planSchema = z.strictObject({
  seed: z.union([z.number(), z.string()]).optional(),
  rates: z
    .partialRecord(faultKind, z.number().min(0).max(1))
    .refine((rates) => Object.values(rates).reduce((sum, rate) => sum + (rate ?? 0), 0) <= 1, 'rates must add up to at most 1')
    .optional(),
  schedule: z.array(z.strictObject({ request: z.number().int().min(1), fault: faultKind })).optional(),
  match: z.strictObject({ methods: z.array(z.string()).optional(), pathIncludes: z.string().optional() }).optional(),
});

/** Validates a plan, with a message that names the wrong field. */
export function parseFaultPlan(plan: unknown): FaultPlan {
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`Invalid fault plan at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Decides the fault of each request for one service. */
export class FaultInjector {
  #plan: FaultPlan | undefined;
  #random: Random = createRandom(1);
  #counter = 0;
  #injected: { request: number; method: string; path: string; fault: FaultKind }[] = [];

  /** Replaces the plan and restarts its request count and draws. */
  set(plan: FaultPlan): void {
    this.#plan = parseFaultPlan(plan);
    this.#random = createRandom(this.#plan.seed ?? 1).fork('faults');
    this.#counter = 0;
  }

  /** Removes the plan: no more faults. */
  clear(): void {
    this.#plan = undefined;
    this.#counter = 0;
  }

  /** Faults injected so far, in order. */
  get injected(): readonly { request: number; method: string; path: string; fault: FaultKind }[] {
    return this.#injected;
  }

  /** The fault for the next request, if any. */
  next(method: string, path: string): FaultKind | undefined {
    const plan = this.#plan;
    if (plan === undefined) return undefined;
    const match = plan.match;
    if (match?.methods !== undefined && !match.methods.includes(method.toUpperCase())) return undefined;
    if (match?.pathIncludes !== undefined && !path.includes(match.pathIncludes)) return undefined;
    this.#counter += 1;
    const request = this.#counter;
    // Always draw, so whether a request is scheduled does not shift later draws.
    const draw = this.#random.next();
    let fault = plan.schedule?.find((entry) => entry.request === request)?.fault;
    if (fault === undefined && plan.rates !== undefined) {
      let threshold = 0;
      for (const kind of FAULT_KINDS) {
        threshold += plan.rates[kind] ?? 0;
        if (draw < threshold) {
          fault = kind;
          break;
        }
      }
    }
    if (fault !== undefined) this.#injected.push({ request, method, path, fault });
    return fault;
  }
}
