/**
 * Invoiced's webhooks over real HTTP (Node's global `fetch`). Sources: Invoiced's backend, chriscouch/invoiced-mcp
 * under `packages/invoiced-support/docs/backend-dev/src/`:
 * - `Webhooks/Pusher.php`: a POST of the event's JSON with `User-Agent: Invoiced/1.0`, `Content-Type:
 *   application/json`, `X-Invoiced-Signature` = lowercase hex HMAC-SHA256 of the body keyed with the secret;
 *   redirects not followed; 10 s to connect, 30 s in all; an attempt is a success on any 2xx; a failure is
 *   tried again an hour later, up to 48 attempts; 410, or the 48th failure, disables every endpoint with that
 *   URL; an attempt whose URL no endpoint has any more is dropped; the secret is the endpoint's with that URL.
 * - `Webhooks/EventSubscriber/WebhookSubscriber.php`: each new event goes to every enabled endpoint whose
 *   `events` hold `*` or its type, as PHP's `json_encode` writes it (see `event-diff.ts`).
 * - `Webhooks/Models/Webhook.php`: a secret of 32 letters and digits; `events` default `['*']`.
 * - `EntryPoint/QueueJob/WebhookJob.php`: at most 5 deliveries of an account at once, the others wait.
 * The connect limit is Node `fetch`'s own (10 s, as Invoiced's); `timeoutMs` bounds the whole attempt.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { createRandom, type Random } from '../random';
import { phpJsonEncode } from './event-diff';
import type { InvoicedEvent } from './events';
import { WebhookFaults, type WebhookFaultPlan } from './webhook-faults';

/** Options of the webhook engine (`SandboxOptions.invoiced.webhooks`). */
export interface InvoicedWebhookOptions {
  /** Wait between a failed attempt and the next. @default 3_600_000 (Invoiced: an hour) */
  retryDelayMs?: number;
  /** Attempts per event and endpoint, the first included; the last failure disables the URL. @default 48 */
  maxAttempts?: number;
  /** Time allowed for a whole attempt (a slower answer is a failure). @default 30_000 */
  timeoutMs?: number;
  /** Deliveries in flight at most; more wait their turn. @default 5 */
  concurrency?: number;
  /** Seed of the generated secrets. @default 1 */
  seed?: number | string;
}

/** A registered endpoint. */
export interface WebhookEndpoint {
  readonly id: number;
  readonly url: string;
  /** Signs every delivery (`X-Invoiced-Signature`). */
  readonly secret: string;
  /** `false` once Invoiced disables it (410, or 48 failed attempts). */
  readonly enabled: boolean;
  /** Event types sent to it; `['*']` for all. */
  readonly events: readonly string[];
}

/** One HTTP attempt (or a delivery lost by a fault), as the delivery log keeps it. */
export interface WebhookDelivery {
  readonly eventId: number;
  readonly eventType: string;
  readonly endpointId: number;
  readonly url: string;
  /** 1 for the first attempt. A duplicate carries the number of the attempt it copies. */
  readonly attempt: number;
  /** The HTTP status, or `null` when there was none (timeout, connection error, dropped). */
  readonly status: number | null;
  /** A 2xx answer. */
  readonly ok: boolean;
  /** Why there was no status. */
  readonly error?: string;
  /** Duration of the attempt. */
  readonly ms: number;
  /** The fault that touched this delivery. */
  readonly fault?: 'drop' | 'duplicate' | 'reorder';
}

/** Registers endpoints and delivers events to them (`sandbox.invoiced.webhooks`). */
export interface InvoicedWebhooks {
  /**
   * Registers an endpoint; a secret of 32 letters and digits is made when none is given.
   * @example const { secret } = sandbox.invoiced.webhooks.add({ url: 'http://127.0.0.1:4000/hooks' });
   */
  add(endpoint: { url: string; secret?: string; events?: readonly string[] }): WebhookEndpoint;
  /** Removes an endpoint (its pending retries are dropped when due); `false` when there was none. */
  remove(id: number): boolean;
  /** Every endpoint, by ID. */
  list(): WebhookEndpoint[];
  /** Enables an endpoint again (after a 410). */
  enable(id: number): WebhookEndpoint;
  /** Sets (or, with `undefined`, clears) the seeded delivery faults. */
  faults(plan: WebhookFaultPlan | undefined): void;
  /** Resolves when nothing is queued, held back or in flight (scheduled retries aside). */
  idle(): Promise<void>;
  /** Runs every scheduled retry now, then waits for {@link idle}. */
  flush(): Promise<void>;
  /** Every attempt so far, in the order they ended. */
  deliveries(): readonly WebhookDelivery[];
  /** Retries scheduled and not yet due. */
  readonly scheduled: number;
  /** Cancels scheduled retries and held-back deliveries (no more timers). */
  close(): void;
}

/** Lowercase hex HMAC-SHA256 of the raw body, keyed with the endpoint's secret (`Pusher::signRequest`). */
export function signWebhookBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

interface Attempt {
  readonly event: InvoicedEvent;
  readonly endpointId: number;
  readonly url: string;
  readonly body: string;
  attempts: number;
  /** A duplicate's copy: sent and logged, but its result decides nothing. */
  readonly copy?: boolean;
  readonly fault?: WebhookDelivery['fault'];
}

const endpointSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(1).optional(),
  events: z.array(z.string().min(1)).min(1).optional(),
});

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Creates the webhook engine of one account. */
export function createWebhooks(options: InvoicedWebhookOptions = {}): InvoicedWebhooks & { deliver(event: InvoicedEvent): void } {
  const retryDelayMs = options.retryDelayMs ?? 3_600_000;
  const maxAttempts = options.maxAttempts ?? 48;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = options.concurrency ?? 5;
  const secrets: Random = createRandom(options.seed ?? 1).fork('webhook-secrets');
  const faults = new WebhookFaults();
  const endpoints = new Map<number, WebhookEndpoint>();
  const log: WebhookDelivery[] = [];
  const queue: Attempt[] = [];
  const retries = new Map<Attempt, NodeJS.Timeout>();
  const held = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let inFlight = 0;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (queue.length > 0 || inFlight > 0 || held.size > 0) return;
    const waiting = waiters;
    waiters = [];
    for (const resolve of waiting) resolve();
  };

  const disableUrl = (url: string) => {
    for (const endpoint of endpoints.values()) if (endpoint.url === url) endpoints.set(endpoint.id, { ...endpoint, enabled: false });
  };

  const after = (attempt: Attempt, status: number | null) => {
    if (attempt.copy === true) return;
    if (status !== null && status >= 200 && status < 300) return;
    if (status === 410 || attempt.attempts >= maxAttempts) {
      disableUrl(attempt.url);
      return;
    }
    const timer = setTimeout(() => {
      retries.delete(attempt);
      queue.push(attempt);
      pump();
    }, retryDelayMs);
    timer.unref();
    retries.set(attempt, timer);
  };

  const send = async (attempt: Attempt) => {
    // Pusher looks the endpoint up by URL alone: a disabled one still gets its retries, a removed one none.
    const endpoint = [...endpoints.values()].find((candidate) => candidate.url === attempt.url);
    if (endpoint === undefined) return;
    if (attempt.copy !== true) attempt.attempts += 1;
    const started = performance.now();
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(attempt.url, {
        method: 'POST',
        headers: {
          'User-Agent': 'Invoiced/1.0',
          'Content-Type': 'application/json',
          'X-Invoiced-Signature': signWebhookBody(attempt.body, endpoint.secret),
        },
        body: attempt.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (caught) {
      error = caught instanceof Error && caught.name === 'TimeoutError' ? 'timeout' : 'connection failed';
    }
    const ms = Math.round(performance.now() - started);
    const ok = status !== null && status >= 200 && status < 300;
    log.push({
      eventId: attempt.event.id,
      eventType: attempt.event.type,
      endpointId: endpoint.id,
      url: attempt.url,
      attempt: attempt.attempts,
      status,
      ok,
      ms,
      ...(error === undefined ? {} : { error }),
      ...(attempt.fault === undefined ? {} : { fault: attempt.fault }),
    });
    after(attempt, status);
  };

  const pump = () => {
    while (inFlight < concurrency && queue.length > 0) {
      const attempt = queue.shift() as Attempt;
      inFlight += 1;
      void send(attempt).finally(() => {
        inFlight -= 1;
        pump();
        settle();
      });
    }
    settle();
  };

  const deliver = (event: InvoicedEvent) => {
    // Encoded once, for the first endpoint that takes the event (an account without one encodes nothing).
    let body: string | undefined;
    for (const endpoint of endpoints.values()) {
      if (!endpoint.enabled || !(endpoint.events.includes('*') || endpoint.events.includes(event.type))) continue;
      const drawn = faults.draw();
      body ??= phpJsonEncode(event);
      const base = { event, endpointId: endpoint.id, url: endpoint.url, body, attempts: 0 };
      if (drawn.drop) {
        log.push({ eventId: event.id, eventType: event.type, endpointId: endpoint.id, url: endpoint.url, attempt: 1, status: null, ok: false, error: 'dropped', ms: 0, fault: 'drop' });
        continue;
      }
      const attempts: Attempt[] = [drawn.delayMs > 0 ? { ...base, fault: 'reorder' } : base];
      if (drawn.duplicate) attempts.push({ ...base, attempts: 1, copy: true, fault: 'duplicate' });
      if (drawn.delayMs === 0) {
        queue.push(...attempts);
        continue;
      }
      const timer = setTimeout(() => {
        held.delete(timer);
        queue.push(...attempts);
        pump();
      }, drawn.delayMs);
      held.add(timer);
    }
    // Never inside the request that made the event: deliveries start once it has answered.
    setImmediate(pump);
  };

  return {
    deliver,
    add(input) {
      const parsed = endpointSchema.safeParse(input);
      if (!parsed.success) throw new TypeError(`Invalid webhook endpoint: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
      const secret = parsed.data.secret ?? Array.from({ length: 32 }, () => secrets.pick([...ALNUM])).join('');
      const endpoint: WebhookEndpoint = { id: nextId, url: parsed.data.url, secret, enabled: true, events: parsed.data.events ?? ['*'] };
      nextId += 1;
      endpoints.set(endpoint.id, endpoint);
      return endpoint;
    },
    remove: (id) => endpoints.delete(id),
    list: () => [...endpoints.values()],
    enable(id) {
      const endpoint = endpoints.get(id);
      if (endpoint === undefined) throw new RangeError(`No webhook endpoint ${id}`);
      const enabled = { ...endpoint, enabled: true };
      endpoints.set(id, enabled);
      return enabled;
    },
    faults: (plan) => (plan === undefined ? faults.clear() : faults.set(plan)),
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        setImmediate(settle);
      }),
    async flush() {
      for (const [attempt, timer] of retries) {
        clearTimeout(timer);
        queue.push(attempt);
      }
      retries.clear();
      pump();
      await this.idle();
    },
    deliveries: () => log,
    get scheduled() {
      return retries.size;
    },
    close() {
      for (const timer of [...retries.values(), ...held]) clearTimeout(timer);
      retries.clear();
      held.clear();
      settle();
    },
  };
}
