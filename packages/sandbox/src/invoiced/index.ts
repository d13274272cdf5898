/**
 * The simulated Invoiced API: a stateful, independent model of Invoiced's REST API (customers,
 * invoices, payments, credit notes, charges and their refunds) with Basic auth, Link pagination,
 * filters and idempotency keys.
 */
export { createInvoicedService } from './service';
export type { InvoicedService, InvoicedServiceOptions } from './service';
export type { InvoicedLoadResult, InvoicedProcessedPaymentRecord, InvoicedState, InvoicedVoidableResource } from './state';
export type { InvoicedChargeInput } from './charges';
export type { IdempotencyLogEntry } from './idempotency';
export { IDEMPOTENCY_TTL_MS } from './idempotency';
export { InvoicedRequestError } from './errors';
export type { InvoicedEvent, InvoicedEventType } from './events';
export { signWebhookBody } from './webhooks';
export type { InvoicedWebhookOptions, InvoicedWebhooks, WebhookDelivery, WebhookEndpoint } from './webhooks';
export type { WebhookFaultPlan } from './webhook-faults';
export type { InvoicedErrorBody, InvoicedErrorType } from './errors';
export { MAX_PER_PAGE } from './listing';
export { PAYMENT_METHODS } from './schemas';
export { currencyExponent } from './money';
export type {
  InvoicedAdjustmentRecord,
  InvoicedChargeRecord,
  InvoicedChargeStatus,
  InvoicedCreditNoteRecord,
  InvoicedCreditNoteStatus,
  InvoicedCustomerRecord,
  InvoicedInvoiceRecord,
  InvoicedInvoiceStatus,
  InvoicedLineItemRecord,
  InvoicedMetadata,
  InvoicedPaymentApplicationRecord,
  InvoicedPaymentRecord,
  InvoicedReadableRecordMap,
  InvoicedReadableResource,
  InvoicedRecordMap,
  InvoicedRefundRecord,
  InvoicedRefundStatus,
  InvoicedResourceName,
} from './records';
