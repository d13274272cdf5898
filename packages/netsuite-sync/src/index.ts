/**
 * `@invoiced/netsuite-sync`: keep NetSuite and Invoiced in step.
 *
 * @packageDocumentation
 */
export {
  ApiError,
  apiFailureKindOf,
  ConfigurationError,
  ERROR_CLASS,
  isApiError,
  isConfigurationError,
  isErrorOfClass,
  isNetSuiteSyncError,
  kindOfStatus,
  NetSuiteSyncError,
  ResponseValidationError,
  toValidationIssues,
} from './errors';
export type {
  ApiErrorContext,
  ApiErrorOptions,
  ApiFailureKind,
  ApiName,
  NetSuiteSyncErrorOptions,
  ValidationIssue,
} from './errors';
export { isMappingError, MappingError } from './mapping/errors';
export type { MappingEntity, MappingErrorCode, MappingErrorOptions } from './mapping/errors';
export type { HttpMethod, Logger, PinoLikeLogger, PinoLogFn, Query, QueryValue, ResponseInfo, RetryOptions } from './options';
export { adaptLogger } from './logger';

// NetSuite client
export { resolveNetSuiteAccount } from './netsuite/account';
export type { NetSuiteAccount } from './netsuite/account';
export { signTokenBasedRequest, tokenBasedAuth } from './netsuite/auth';
export type {
  BoundNetSuiteAuth,
  NetSuiteAuth,
  NetSuiteAuthContext,
  NetSuiteAuthRequest,
  TokenBasedAuthOptions,
  TokenBasedSignature,
} from './netsuite/auth';
export { createNetSuiteClient } from './netsuite/client';
export type { NetSuiteClient, NetSuiteClientOptions } from './netsuite/client';
export type { CatalogField, CatalogFieldKind, NetSuiteMetadata, RecordCatalog, RecordCatalogOptions } from './netsuite/metadata';
export {
  NetSuiteApiError,
  NetSuiteAuthenticationError,
  NetSuiteConnectionError,
  NetSuiteInvalidRequestError,
  NetSuiteNotFoundError,
  NetSuitePermissionError,
  NetSuiteRateLimitError,
  NetSuiteServerError,
  NetSuiteTimeoutError,
  netSuiteErrorBodySchema,
  parseNetSuiteErrorDetails,
} from './netsuite/errors';
export type { NetSuiteApiErrorOptions, NetSuiteErrorBody, NetSuiteErrorDetail, NetSuiteFailureOptions } from './netsuite/errors';
export { NETSUITE_TOKEN_PATH, oauthClientCredentials } from './netsuite/oauth2';
export type { NetSuiteAssertionAlgorithm, OAuthClientCredentialsOptions } from './netsuite/oauth2';
export type {
  GetRecordOptions,
  ListRecordsOptions,
  NetSuiteRecordRef,
  NetSuiteRecords,
  NetSuiteRequestOptions,
  NetSuiteResponse,
  UpdateRecordOptions,
  WriteRecordOptions,
} from './netsuite/records';
export {
  netSuiteApplyLineSchema,
  netSuiteCreditMemoSchema,
  netSuiteCustomerPaymentSchema,
  netSuiteCustomerSchema,
  netSuiteInvoiceSchema,
  netSuiteItemLineSchema,
  netSuiteRecordSchema,
  netSuiteRecordSchemas,
  netSuiteRefSchema,
} from './netsuite/schemas';
export type {
  NetSuiteApplyLine,
  NetSuiteCreditMemo,
  NetSuiteCustomer,
  NetSuiteCustomerPayment,
  NetSuiteInvoice,
  NetSuiteItemLine,
  NetSuiteRecord,
  NetSuiteRecordMap,
  NetSuiteRecordOf,
  NetSuiteRecordType,
  NetSuiteRef,
  NetSuiteSublistMap,
  NetSuiteSublistOf,
} from './netsuite/schemas';
export { isSuiteQLQuery, sql, suiteqlLiteral } from './netsuite/sql';
export type { SuiteQLQuery, SuiteQLScalar, SuiteQLTag, SuiteQLValue } from './netsuite/sql';
export { SUITEQL_MAX_PAGE_SIZE, SUITEQL_MAX_ROWS, SuiteQLRowLimitError } from './netsuite/suiteql';
export type { SuiteQLAllOptions, SuiteQLOptions, SuiteQLPage, SuiteQLProgress, SuiteQLRow } from './netsuite/suiteql';

// Invoiced client
export { createInvoicedClient } from './invoiced/client';
export type { InvoicedClient, InvoicedResponse } from './invoiced/client';

export {
  INVOICED_DEFAULT_CONCURRENCY,
  INVOICED_DEFAULT_DEADLINE_MS,
  INVOICED_DEFAULT_TIMEOUT_MS,
  INVOICED_PRODUCTION_URL,
  INVOICED_SANDBOX_URL,
} from './invoiced/options';
export type { InvoicedClientOptions } from './invoiced/options';

export {
  InvoicedApiError,
  InvoicedAuthenticationError,
  InvoicedConnectionError,
  InvoicedDuplicateMatchError,
  InvoicedInvalidRequestError,
  InvoicedNotFoundError,
  InvoicedPaginationError,
  InvoicedPermissionError,
  InvoicedRateLimitError,
  InvoicedServerError,
  InvoicedTimeoutError,
} from './invoiced/errors';
export type { InvoicedApiErrorOptions, InvoicedMatchResource } from './invoiced/errors';

export {
  INVOICED_CREDIT_NOTE_STATUSES,
  INVOICED_CUSTOMER_TYPES,
  INVOICED_INVOICE_STATUSES,
  INVOICED_PAYMENT_APPLICATION_TYPES,
  INVOICED_PAYMENT_METHODS,
  InvoicedCreditNoteSchema,
  InvoicedCustomerSchema,
  InvoicedErrorBodySchema,
  InvoicedInvoiceSchema,
  InvoicedLineItemSchema,
  InvoicedMetadataSchema,
  InvoicedPaymentApplicationSchema,
  InvoicedPaymentSchema,
  InvoicedChargeSchema,
  InvoicedRefundSchema,
} from './invoiced/schemas';
export type {
  InvoicedCharge,
  InvoicedRefund,
  InvoicedCreditNote,
  InvoicedCustomer,
  InvoicedErrorBody,
  InvoicedInvoice,
  InvoicedLineItem,
  InvoicedMetadata,
  InvoicedPayment,
  InvoicedPaymentApplication,
} from './invoiced/schemas';

export { INVOICED_MAX_PER_PAGE, InvoicedList } from './invoiced/pagination';
export type { InvoicedListOptions } from './invoiced/pagination';

export type {
  InvoicedCreditNoteCreate,
  InvoicedCreditNoteInput,
  InvoicedCustomerCreate,
  InvoicedCustomerInput,
  InvoicedDocumentInput,
  InvoicedInvoiceCreate,
  InvoicedInvoiceInput,
  InvoicedLineItemInput,
  InvoicedMetadataInput,
  InvoicedPaymentApplicationInput,
  InvoicedPaymentCreate,
  InvoicedPaymentInput,
  InvoicedPaymentListOptions,
  InvoicedReadOptions,
  InvoicedWriteOptions,
} from './invoiced/inputs';

export type {
  InvoicedChangedInvoicesOptions,
  InvoicedCreditNotes,
  InvoicedCustomers,
  InvoicedInvoices,
  InvoicedNetSuiteLookup,
  InvoicedPayments,
  InvoicedRequestOptions,
  InvoicedResource,
  InvoicedVoidable,
} from './invoiced/resources';
export type { InvoicedCharges, InvoicedRefundListOptions, InvoicedRefunds } from './invoiced/payment-processing';
export { InvoicedEventSchema, invoicedEventTarget } from './invoiced/event-schema';
export type { InvoicedEvent, InvoicedEventEntity, InvoicedEventTarget } from './invoiced/event-schema';
export type { InvoicedEventListOptions, InvoicedEvents } from './invoiced/events';

// Sync engine and storage contract
export { createSyncEngine } from './engine/engine';
export type { SyncEngine, SyncEngineOptions, SyncOptions, TargetedSyncOptions } from './engine/engine';
export type { SyncRecordTarget } from './engine/targeted-sync';
export { ImportJobError, SyncInProgressError } from './engine/errors';
export type { FieldTransform, FieldTransformContext, RecordChange, RecordOutcome, SyncEvent } from './engine/contracts';
export { parseSyncSettings, syncSettingsSchema } from './engine/settings';
export { syncPhaseNames } from './engine/phases/index';
export type { SyncSettings, SyncSettingsInput } from './engine/settings';

// Operations: auto-sync, the inbox runner (webhooks in one process) and the connection check
export {
  AUTO_SYNC_DEFAULT_EVERY,
  AUTO_SYNC_DEFAULT_JITTER,
  AUTO_SYNC_MAX_EVERY_MS,
  AUTO_SYNC_MIN_EVERY_MS,
  startAutoSync,
} from './operations/auto-sync';
export type { AutoSync, AutoSyncEngine, AutoSyncEvent, AutoSyncOptions } from './operations/auto-sync';
export { createInboxRunner } from './operations/inbox-runner';
export type { InboxEngine, InboxRunner, InboxRunnerOptions } from './operations/inbox-runner';
export { checkConnection } from './operations/check-connection';
export type {
  CheckConnectionOptions,
  ConnectionCheckItem,
  ConnectionCheckResult,
  ConnectionProblem,
  ConnectionSide,
  SettingsVerdict,
} from './operations/check-connection';
export { durationToMs, parseDuration } from './operations/duration';
export { DEFAULT_ERRORS_PER_RUN, DEFAULT_RUN_LIMIT, EVENT_RETENTION_MS, LinkConflictError, RunStateError } from './store/sync-store';
export {
  compareCodePoints,
  compareInboxEvents,
  compareLinkIds,
  compareRunsNewestFirst,
  copyCheckpoint,
  copyInboxEvent,
  copyLink,
  copyRecordError,
  copyRetryItem,
  copyRun,
  copyRunError,
  countRecordErrorCodes,
  finishStoredRun,
  linkToSave,
  resolveListRunsOptions,
  settleNow,
  startedRun,
  toStoredRun,
} from './store/helpers';
export type { RunOrderKey, RunOutcome, RunWithErrors, StoredRun } from './store/helpers';
export { invalidStoreRowMessage, parseStoreArguments, parseStoreRows, storeValueSchemas } from './store/values';
export type {
  Direction,
  EntityKind,
  ImportCheckpoint,
  InboxEvent,
  ListRunsOptions,
  RecordError,
  RetryItem,
  RunError,
  RunStateReason,
  RunStatus,
  RunTrigger,
  Side,
  SyncLink,
  SyncRun,
  SyncStore,
} from './store/sync-store';
export type { ImportJob, ImportKind, ImportOptions, ImportProgress, ImportResult } from './engine/imports/types';

// Dry runs: engine.sync({ dryRun: true })
export type { PlannedChange, SyncPlan } from './engine/dry-run/plan';
