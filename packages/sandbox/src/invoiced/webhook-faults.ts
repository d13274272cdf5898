/**
 * Seeded faults of webhook deliveries (the sandbox's own, to test receivers): `drop` loses a delivery (never
 * sent, never retried: as if the receiver had acknowledged it and then lost it), `duplicate` sends it twice,
 * `reorder` holds it back a random time so that later events overtake it. Drawn once per delivery (an event
 * to an endpoint) when the event is recorded, in event order, so the same seed and the same changes give
 * the same faults; retries draw nothing.
 */
import { z } from 'zod';
import { createRandom, type Random } from '../random';

/** A plan of webhook faults (each a probability per delivery). */
export interface WebhookFaultPlan {
  /** Seed of the draws. @default 1 */
  seed?: number | string;
  /** Probability that a delivery is lost (not sent, not retried). @default 0 */
  drop?: number;
  /** Probability that a delivery is sent twice. @default 0 */
  duplicate?: number;
  /** Probability that a delivery is held back by a random delay. @default 1 when `reorderMs` is given, else 0 */
  reorder?: number;
  /** Range of the delay of a held-back delivery, in milliseconds. @default { min: 0, max: 100 } */
  reorderMs?: { min?: number; max: number };
}

/** What happens to one delivery. */
export interface WebhookFaultDraw {
  readonly drop: boolean;
  readonly duplicate: boolean;
  /** 0 unless held back. */
  readonly delayMs: number;
}

const probability = z.number().min(0).max(1).optional();
const planSchema = z.strictObject({
  seed: z.union([z.number(), z.string()]).optional(),
  drop: probability,
  duplicate: probability,
  reorder: probability,
  reorderMs: z
    .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0) })
    .refine((range) => (range.min ?? 0) <= range.max, 'min must not exceed max')
    .optional(),
});

/** Validates a plan, naming the wrong field. */
export function parseWebhookFaultPlan(plan: unknown): WebhookFaultPlan {
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`Invalid webhook fault plan at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Draws the fault of each delivery. */
export class WebhookFaults {
  #plan: WebhookFaultPlan | undefined;
  #random: Random = createRandom(1);

  /** Replaces the plan and restarts its draws. */
  set(plan: WebhookFaultPlan): void {
    this.#plan = parseWebhookFaultPlan(plan);
    this.#random = createRandom(this.#plan.seed ?? 1).fork('webhook-faults');
  }

  /** No more faults. */
  clear(): void {
    this.#plan = undefined;
  }

  /** The fault of the next delivery (no plan: none). */
  draw(): WebhookFaultDraw {
    const plan = this.#plan;
    if (plan === undefined) return { drop: false, duplicate: false, delayMs: 0 };
    // Always four draws, so one delivery's outcome never shifts the next one's.
    const [drop, duplicate, reorder, delay] = [this.#random.next(), this.#random.next(), this.#random.next(), this.#random.next()];
    const reorderRate = plan.reorder ?? (plan.reorderMs === undefined ? 0 : 1);
    const min = plan.reorderMs?.min ?? 0;
    const max = plan.reorderMs?.max ?? 100;
    return {
      drop: drop < (plan.drop ?? 0),
      duplicate: duplicate < (plan.duplicate ?? 0),
      delayMs: reorder < reorderRate ? min + Math.floor(delay * (max - min + 1)) : 0,
    };
  }
}
