/**
 * zod schemas for the NetSuite records and responses the sync needs. Objects are loose: fields this SDK
 * does not know are kept as they came, so nothing NetSuite sends is lost; fields the sync relies on are
 * required, and their absence is a `ResponseValidationError`.
 */
import { z } from 'zod';

/** A reference to another record, e.g. `entity: { id: '123', refName: 'Acme' }`. */
export const netSuiteRefSchema = z.looseObject({
  id: z.string().min(1),
  refName: z.string().optional(),
});
export type NetSuiteRef = z.infer<typeof netSuiteRefSchema>;

/** Amounts: NetSuite sends JSON numbers; numeric strings are accepted too. */
const amount = z.union([z.number(), z.string().regex(/^-?\d+(?:\.\d+)?$/).transform(Number)]);
/** Status: a letter (`A`), or a reference (`{ id: 'open', refName: 'Open' }`) depending on the release. */
const status = z.union([z.string(), netSuiteRefSchema]);
/** Datetimes are ISO 8601 strings. */
const isoDate = z.string().min(1);
/** Date fields (`format: date` in the REST API Browser) are calendar days, `YYYY-MM-DD`. */
const restDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
/**
 * A select or radio field: `{ id, refName }`, e.g. a payment's `undepFunds` (`id` `T` when the payment
 * goes to Undeposited Funds, `F` when it goes to `account`).
 */
const selectValue = z.looseObject({ id: z.string(), refName: z.string().optional() });

/** A sublist that is either expanded (`items`) or only linked (`links`). */
function sublist<T extends z.ZodType>(line: T) {
  return z.looseObject({ items: z.array(line).optional(), totalResults: z.number().optional() });
}

/** One line of an invoice or credit memo's `item` sublist. */
export const netSuiteItemLineSchema = z.looseObject({
  item: netSuiteRefSchema,
  line: z.number().optional(),
  quantity: amount.optional(),
  rate: amount.optional(),
  amount: amount.optional(),
  description: z.string().optional(),
});
export type NetSuiteItemLine = z.infer<typeof netSuiteItemLineSchema>;

/** A `customer` record. */
export const netSuiteCustomerSchema = z.looseObject({
  id: z.string().min(1),
  entityId: z.string().optional(),
  companyName: z.string().optional(),
  isPerson: z.boolean().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  subsidiary: netSuiteRefSchema.optional(),
  currency: netSuiteRefSchema.optional(),
  terms: netSuiteRefSchema.optional(),
  externalId: z.string().optional(),
  isInactive: z.boolean().optional(),
  dateCreated: isoDate.optional(),
  lastModifiedDate: isoDate.optional(),
});
export type NetSuiteCustomer = z.infer<typeof netSuiteCustomerSchema>;

/** An `invoice` record. */
export const netSuiteInvoiceSchema = z.looseObject({
  id: z.string().min(1),
  tranId: z.string().optional(),
  entity: netSuiteRefSchema,
  tranDate: restDate.optional(),
  dueDate: restDate.optional(),
  currency: netSuiteRefSchema.optional(),
  subsidiary: netSuiteRefSchema.optional(),
  total: amount.optional(),
  subtotal: amount.optional(),
  taxTotal: amount.optional(),
  discountTotal: amount.optional(),
  amountRemaining: amount.optional(),
  amountPaid: amount.optional(),
  status: status.optional(),
  memo: z.string().optional(),
  otherRefNum: z.string().optional(),
  externalId: z.string().optional(),
  lastModifiedDate: isoDate.optional(),
  item: sublist(netSuiteItemLineSchema).optional(),
});
export type NetSuiteInvoice = z.infer<typeof netSuiteInvoiceSchema>;

/** One line of a payment's or credit memo's `apply` sublist: how much of which document it settles. */
export const netSuiteApplyLineSchema = z.looseObject({
  doc: netSuiteRefSchema,
  apply: z.boolean(),
  amount: amount.optional(),
  line: z.number().optional(),
  due: amount.optional(),
  total: amount.optional(),
  refNum: z.string().optional(),
});
export type NetSuiteApplyLine = z.infer<typeof netSuiteApplyLineSchema>;

/** A `customerPayment` record. */
export const netSuiteCustomerPaymentSchema = z.looseObject({
  id: z.string().min(1),
  tranId: z.string().optional(),
  customer: netSuiteRefSchema,
  payment: amount.optional(),
  tranDate: restDate.optional(),
  currency: netSuiteRefSchema.optional(),
  account: netSuiteRefSchema.optional(),
  undepFunds: selectValue.optional(),
  paymentMethod: netSuiteRefSchema.optional(),
  memo: z.string().optional(),
  status: status.optional(),
  externalId: z.string().optional(),
  lastModifiedDate: isoDate.optional(),
  apply: sublist(netSuiteApplyLineSchema).optional(),
});
export type NetSuiteCustomerPayment = z.infer<typeof netSuiteCustomerPaymentSchema>;

/** A `creditMemo` record. */
export const netSuiteCreditMemoSchema = z.looseObject({
  id: z.string().min(1),
  tranId: z.string().optional(),
  entity: netSuiteRefSchema,
  tranDate: restDate.optional(),
  currency: netSuiteRefSchema.optional(),
  total: amount.optional(),
  amountRemaining: amount.optional(),
  applied: amount.optional(),
  status: status.optional(),
  externalId: z.string().optional(),
  lastModifiedDate: isoDate.optional(),
  item: sublist(netSuiteItemLineSchema).optional(),
  apply: sublist(netSuiteApplyLineSchema).optional(),
});
export type NetSuiteCreditMemo = z.infer<typeof netSuiteCreditMemoSchema>;

/** Any other record type: an `id` and whatever else NetSuite sent. */
export const netSuiteRecordSchema = z.looseObject({ id: z.string().min(1) });
export type NetSuiteRecord = z.infer<typeof netSuiteRecordSchema>;

/** The record types this SDK has schemas for. */
export const netSuiteRecordSchemas = {
  customer: netSuiteCustomerSchema,
  invoice: netSuiteInvoiceSchema,
  customerPayment: netSuiteCustomerPaymentSchema,
  creditMemo: netSuiteCreditMemoSchema,
} as const;

/** Record type -> its parsed shape. */
export interface NetSuiteRecordMap {
  customer: NetSuiteCustomer;
  invoice: NetSuiteInvoice;
  customerPayment: NetSuiteCustomerPayment;
  creditMemo: NetSuiteCreditMemo;
}
/**
 * The sublists of each known record type (REST API Browser 2026.1): the names `replace` accepts. Any
 * other record type accepts any name.
 */
export interface NetSuiteSublistMap {
  customer:
    | 'addressBook'
    | 'campaigns'
    | 'contactRoles'
    | 'currencyList'
    | 'groupPricing'
    | 'itemPricing'
    | 'partners'
    | 'salesTeam'
    | 'subscriptionMessageHistory'
    | 'subscriptions'
    | 'taxRegistration';
  invoice:
    | 'accountingBookDetail'
    | 'appliedRules'
    | 'expCost'
    | 'giftCertRedemption'
    | 'installment'
    | 'item'
    | 'itemCost'
    | 'partners'
    | 'promotions'
    | 'salesTeam'
    | 'shipGroup'
    | 'taxDetails'
    | 'time';
  customerPayment: 'accountingBookDetail' | 'appliedRules' | 'apply' | 'credit' | 'deposit';
  creditMemo: 'accountingBookDetail' | 'appliedRules' | 'apply' | 'item' | 'partners' | 'promotions' | 'salesTeam' | 'shipGroup' | 'taxDetails';
}
/** The sublist names of record type `T`. */
export type NetSuiteSublistOf<T extends string> = T extends keyof NetSuiteSublistMap ? NetSuiteSublistMap[T] : string;

/** A record type name: one of the known ones, or any other NetSuite record type (`salesOrder`, `customrecord_x`). */
export type NetSuiteRecordType = keyof NetSuiteRecordMap | (string & {});
/** The parsed shape of a record of type `T`. */
export type NetSuiteRecordOf<T extends string> = T extends keyof NetSuiteRecordMap ? NetSuiteRecordMap[T] : NetSuiteRecord;

/** A page of a record collection: items are only references. */
export const netSuiteCollectionPageSchema = z.looseObject({
  items: z.array(z.looseObject({ id: z.string().min(1), links: z.array(z.unknown()).optional() })),
  hasMore: z.boolean(),
  count: z.number().optional(),
  offset: z.number().optional(),
  totalResults: z.number().optional(),
});

/**
 * A SuiteQL result row: a JSON object, taken as it came. Checked, not copied (`z.record` would copy every
 * row of every page, and the client copies each row once anyway to lower its keys).
 */
const suiteqlRowSchema = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  error: 'Expected an object (a result row).',
});

/** A page of SuiteQL results. */
export const suiteqlPageSchema = z.looseObject({
  items: z.array(suiteqlRowSchema),
  hasMore: z.boolean(),
  count: z.number().optional(),
  offset: z.number().optional(),
  totalResults: z.number().optional(),
});
