/**
 * `@invoiced/netsuite-sync-sandbox`: stateful NetSuite and Invoiced simulators over real HTTP.
 *
 * @packageDocumentation
 */
export { createSandbox } from './sandbox';
export type { Sandbox, SandboxNetSuiteCredentials, SandboxOptions, SandboxServers, SandboxService } from './sandbox';
export { FAULT_KINDS, FaultInjector, parseFaultPlan } from './faults';
export type { FaultKind, FaultMatch, FaultPlan } from './faults';
export type { RequestLogEntry, ServiceName } from './service';
export { generateBooks, summarizeBooks } from './generate';
export { currencyIdsOf, settingsForBooks } from './books-settings';
export type { BooksSettings } from './books-settings';
export type { BooksSummary, GenerateBooksOptions, InvoicedBooksOptions, InvoicedCurrencySummary, NetSuiteCurrencySummary } from './generate';
export type {
  BookApplication,
  BookCreditMemo,
  BookCustomer,
  BookCustomerRefund,
  BookInvoice,
  BookLine,
  BookPayment,
  BookPaymentCredit,
  BookRefundApplication,
  Books,
  InvoicedBookApplication,
  InvoicedBookCreditNote,
  InvoicedBookCustomer,
  InvoicedBookInvoice,
  InvoicedBookPayment,
  InvoicedBooks,
  NetSuiteBooks,
} from './books';
export { createRandom } from './random';
export type { Random } from './random';

// The simulated services, for composing them without createSandbox.
export { createNetSuiteService, NetSuiteShapeError, NetSuiteSimulatorError } from './netsuite/index';
export type {
  CustomFieldSelectType,
  CustomFieldType,
  NetSuiteAccountShape,
  NetSuiteAuthFailure,
  NetSuiteAuthFailureReason,
  NetSuiteDeletedRecord,
  NetSuiteDeletionContext,
  NetSuiteRecordType,
  NetSuiteService,
  NetSuiteServiceOptions,
  NetSuiteState,
  RestRecord,
  ShapeCustomField,
  ShapeCustomForm,
  ShapeListEntry,
  ShapeSubsidiary,
  SuiteQLRow,
} from './netsuite/index';
export { createInvoicedService, IDEMPOTENCY_TTL_MS, InvoicedRequestError, signWebhookBody } from './invoiced/index';
export type {
  InvoicedEvent,
  InvoicedEventType,
  InvoicedWebhookOptions,
  InvoicedWebhooks,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookFaultPlan,
  IdempotencyLogEntry,
  InvoicedChargeInput,
  InvoicedChargeRecord,
  InvoicedChargeStatus,
  InvoicedCreditNoteRecord,
  InvoicedCreditNoteStatus,
  InvoicedLoadResult,
  InvoicedPaymentApplicationRecord,
  InvoicedProcessedPaymentRecord,
  InvoicedRefundRecord,
  InvoicedRefundStatus,
  InvoicedService,
  InvoicedServiceOptions,
  InvoicedState,
} from './invoiced/index';
export type { SandboxOutcome, SandboxRequest, ServiceHandler } from './http';
export { GovernedService } from './service';
export type { GovernanceOptions } from './service';
export { listenService, mswHandlers } from './transports';
export { SANDBOX_USAGE, SandboxUsageError, startSandboxFromArgs } from './cli';
export type { StartedSandbox } from './cli';
export type { ServiceServer } from './transports';
