/**
 * The read-only resources of payments processed through Invoiced: `client.refunds` (refunds of charges)
 * and `client.charges`. The API reference documents the Refund and Charge objects and `POST
 * /charges/{id}/refunds`; the reads (`GET /refunds`, `GET /refunds/{id}`, `GET /charges/{id}`) are routes
 * of Invoiced's service it does not list. The client never creates a refund: that moves money through
 * the payment gateway, which a sync must never do.
 */
import type { z } from 'zod';
import { toValidationIssues } from '../errors';
import type { HttpMethod } from '../options';
import { invalidResponseError } from './errors';
import { checkId, type InvoicedReadOptions } from './inputs';
import type { InvoicedListOptions } from './pagination';
import { InvoicedList } from './pagination';
import type { ResourceTransport } from './resources';
import { InvoicedChargeSchema, InvoicedRefundSchema, type InvoicedCharge, type InvoicedRefund } from './schemas';

/** Options of `client.refunds.list`: Invoiced's service gives refunds no `updated_after` nor metadata. */
export type InvoicedRefundListOptions = Omit<InvoicedListOptions, 'updatedAfter' | 'metadata'>;

/** `client.refunds`. */
export interface InvoicedRefunds {
  /** `GET /refunds/{id}`. */
  retrieve(id: number, options?: InvoicedReadOptions): Promise<InvoicedRefund>;
  /**
   * `GET /refunds`: every refund, page by page as you iterate.
   * @example
   * ```ts
   * for await (const refund of invoiced.refunds.list({ sort: 'id ASC' })) console.log(refund.charge, refund.amount, refund.status);
   * ```
   */
  list(options?: InvoicedRefundListOptions): InvoicedList<InvoicedRefund>;
}

/** `client.charges`. */
export interface InvoicedCharges {
  /** `GET /charges/{id}`: the charge, with the payment it made (`payment`) when Invoiced says it. */
  retrieve(id: number, options?: InvoicedReadOptions): Promise<InvoicedCharge>;
}

async function read<T>(transport: ResourceTransport, path: string, what: string, schema: z.ZodType<T>, signal: AbortSignal | undefined): Promise<T> {
  const method: HttpMethod = 'GET';
  const response = await transport.send(method, path, { signal });
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  throw invalidResponseError({ method, path, status: response.status, requestId: response.requestId }, what, toValidationIssues(parsed.error.issues));
}

/** Builds `client.refunds` and `client.charges` on top of the client's `send`. */
export function createPaymentProcessing(transport: ResourceTransport): { refunds: InvoicedRefunds; charges: InvoicedCharges } {
  return {
    refunds: {
      retrieve: async (id, options = {}) => read(transport, `/refunds/${checkId(id)}`, 'a refund', InvoicedRefundSchema, options.signal),
      list: (options) =>
        new InvoicedList<InvoicedRefund>(
          {
            baseUrl: transport.baseUrl,
            get: (path, signal) => transport.send('GET', path, { signal }),
            schema: InvoicedRefundSchema,
            path: '/refunds',
            what: 'refunds',
            query: undefined,
          },
          options ?? {},
        ),
    },
    charges: {
      retrieve: async (id, options = {}) => read(transport, `/charges/${checkId(id)}`, 'a charge', InvoicedChargeSchema, options.signal),
    },
  };
}
