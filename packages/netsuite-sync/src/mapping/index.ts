/**
 * The mapping layer: pure functions from records of one service to write bodies of the other, customer
 * matching by name, exact money, filters, guards and fingerprints. No I/O, no clock, and no import from
 * the rest of the SDK. Mapping functions return bodies (or `{ body, ... }` where there is more to say)
 * and throw {@link MappingError} for a record that cannot be mapped.
 *
 * @packageDocumentation
 */
export { MappingError } from './errors';
export type { MappingEntity, MappingErrorCode, MappingErrorOptions } from './errors';

export { compareMoney, currencyExponent, fromMinor, minorToNumber, normalizeCurrencyCode, sumMinor, toMinor } from './money';
export type { AmountInput, ToMinorOptions } from './money';

export { currencyCodeFromNetSuite, netsuiteCurrencyRef } from './currencies';
export type { NetSuiteCurrencyMap } from './currencies';

export { dateToUnixSeconds, parseCalendarDate, unixSecondsToDate, utcOffsetMinutes } from './dates';
export type { CalendarDate } from './dates';

export { customerDisplayName, indexCustomersByName, matchCustomerByName, normalizeName } from './names';
export type { CustomerNameIndex, NameCandidate, NameMatch } from './names';

export { invoicedCustomerToNetSuite, netsuiteCustomerToInvoiced } from './customers';
export type {
  InvoicedCustomerBody,
  InvoicedCustomerSource,
  InvoicedCustomerToNetSuiteSettings,
  NetSuiteCustomerBody,
  NetSuiteCustomerSource,
  NetSuiteCustomerToInvoicedOptions,
} from './customers';

export { netsuiteInvoiceStatus, netsuiteInvoiceToInvoiced } from './invoices';
export type {
  InvoicedInvoiceBody,
  InvoicedLineBody,
  NetSuiteInvoiceLineSource,
  NetSuiteInvoiceSource,
  NetSuiteInvoiceStatus,
  NetSuiteInvoiceToInvoicedOptions,
} from './invoices';

export { invoicedInvoiceToNetSuite } from './invoices-to-netsuite';
export type {
  InvoiceItemSettings,
  InvoicedInvoiceSource,
  InvoicedInvoiceToNetSuiteSettings,
  InvoicedLineSource,
  NetSuiteInvoiceBody,
  NetSuiteItemLineBody,
} from './invoices-to-netsuite';

export { isNetSuitePaymentVoided, netsuitePaymentToInvoiced } from './payments';
export type { InvoicedApplicationBody, InvoicedPaymentBody, NetSuiteApplicationSource, NetSuitePaymentMapping, NetSuitePaymentSource, NetSuitePaymentToInvoicedOptions } from './payments';

export { invoicedPaymentToNetSuite } from './payments-to-netsuite';
export type { InvoicedPaymentMapping, InvoicedPaymentSource, InvoicedPaymentToNetSuiteSettings, LinkedNetSuiteInvoice, NetSuitePaymentBody } from './payments-to-netsuite';

export { invoicedCreditNoteToNetSuite, netsuiteCreditApplicationsToInvoiced, netsuiteCreditMemoToInvoiced } from './credit-notes';
export type {
  InvoicedCreditApplicationBody,
  InvoicedCreditApplicationPaymentBody,
  InvoicedCreditNoteBody,
  InvoicedCreditNoteSource,
  InvoicedCreditNoteToNetSuiteSettings,
  NetSuiteCreditApplicationsMapping,
  NetSuiteCreditMemoToInvoicedOptions,
  NetSuiteCreditMemoBody,
} from './credit-notes';

export { invoicedRefundToNetSuite } from './refunds';
export type { InvoicedRefundSource, InvoicedRefundToNetSuiteSettings, NetSuiteRefundBody } from './refunds';

export { paymentAccountRuleSchema, paymentAccountRulesSchema, resolvePaymentAccount } from './rules';
export type { PaymentAccount, PaymentAccountRule } from './rules';

export {
  cursorToUnixSeconds,
  invoicedInvoiceEligibility,
  isEligibleInvoicedInvoice,
  overlapCursor,
  shouldWriteInvoiceToInvoiced,
  shouldWriteInvoiceToNetSuite,
  shouldWritePaymentToInvoiced,
  shouldWritePaymentToNetSuite,
  shouldWriteToSide,
} from './filters';
export type { EligibilityOptions, InvoiceEligibility, InvoicedInvoiceFilterSource, LinkOrigin } from './filters';

export { canonicalJson, fingerprint } from './fingerprint';
export type { FingerprintOptions } from './fingerprint';

export {
  FIELD_TYPES,
  fieldMappingSchema,
  MAPPED_RECORD_TYPES,
  netsuiteFieldsSchema,
  netsuiteValueSchema,
  recordMappingSchema,
  subsidiaryRuleSchema,
  subsidiarySettingSchema,
} from './field-mapping-schemas';
export type { FieldMapping, MappedRecordType, NetSuiteFieldValue, NetSuiteFieldsSettings, RecordMapping, RuleCondition, SubsidiaryRule } from './field-mapping-schemas';
export {
  applyNetSuiteFields,
  invoicedFieldsFromNetSuite,
  mappedColumns,
  mergeMetadata,
  readBackMappings,
  ruleHolds,
  rulesNeedSubsidiary,
  subsidiaryFor,
  toNetSuiteValue,
} from './field-mappings';
export type { ApplyNetSuiteFieldsOptions, FieldRuleContext, InvoicedMappedFields, MappedColumn } from './field-mappings';
