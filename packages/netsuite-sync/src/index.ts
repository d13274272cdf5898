/**
 * `@invoiced/netsuite-sync`: keep NetSuite and Invoiced in step.
 *
 * @packageDocumentation
 */
export {
  ApiError,
  ConfigurationError,
  NetSuiteSyncError,
  ResponseValidationError,
} from './errors';
export type { ApiErrorContext, ApiErrorOptions, ApiName, NetSuiteSyncErrorOptions, ValidationIssue } from './errors';
export type { HttpMethod, Logger, Query, QueryValue, RetryOptions } from './internal/transport';

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
export type { NetSuiteApiErrorOptions, NetSuiteErrorBody, NetSuiteErrorDetail } from './netsuite/errors';
export { NETSUITE_TOKEN_PATH, oauthClientCredentials } from './netsuite/oauth2';
export type { NetSuiteAssertionAlgorithm, OAuthClientCredentialsOptions } from './netsuite/oauth2';
export type {
  GetRecordOptions,
  ListRecordsOptions,
  NetSuiteRecordRef,
  NetSuiteRecords,
  NetSuiteRequestOptions,
  NetSuiteResponse,
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
} from './netsuite/schemas';
export { isSuiteQLQuery, sql, suiteqlLiteral } from './netsuite/sql';
export type { SuiteQLQuery, SuiteQLScalar, SuiteQLTag, SuiteQLValue } from './netsuite/sql';
export { SUITEQL_MAX_PAGE_SIZE, SUITEQL_MAX_ROWS, SuiteQLRowLimitError } from './netsuite/suiteql';
export type { SuiteQLAllOptions, SuiteQLOptions, SuiteQLPage, SuiteQLProgress, SuiteQLRow } from './netsuite/suiteql';
