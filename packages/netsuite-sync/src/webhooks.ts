/**
 * `@invoiced/netsuite-sync/webhooks`: receive Invoiced's webhooks. A Web-standard handler
 * (`createInvoicedWebhookHandler`) that checks the signature and records each event in the store's inbox,
 * with adapters for Node's `http`, Express, Fastify and Hono. docs/real-time.md explains the set-up.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * // import { createInvoicedWebhookHandler, toNodeListener } from '@invoiced/netsuite-sync/webhooks';
 * const handler = createInvoicedWebhookHandler({ secret: process.env.INVOICED_WEBHOOK_SECRET ?? '', connectionId, store });
 * createServer(toNodeListener(handler)).listen(3000);
 * ```
 *
 * @packageDocumentation
 */
export { INVOICED_SIGNATURE_HEADER, signInvoicedPayload, verifyInvoicedSignature } from './webhooks/signature';
export { InvoicedWebhookEventError, InvoicedWebhookEventSchema, invoicedEventTarget, parseInvoicedWebhookEvent } from './webhooks/event';
export type { InvoicedEventTarget, InvoicedWebhookEvent, InvoicedWebhookEventProblem } from './webhooks/event';
export { createInvoicedWebhookHandler, DEFAULT_WEBHOOK_MAX_BODY_BYTES, DEFAULT_WEBHOOK_MAX_EVENT_AGE_MS } from './webhooks/handler';
export type { InvoicedWebhookHandler, InvoicedWebhookHandlerOptions, InvoicedWebhookSkipReason } from './webhooks/handler';
export { fastifyWebhookPlugin, honoWebhookHandler, toExpressHandler, toNodeListener } from './webhooks/adapters';
export type { ExpressLikeRequest, FastifyLikeInstance, FastifyLikeReply, FastifyLikeRequest, WebRequestHandler } from './webhooks/adapters';
