/**
 * What a REST body may hold, record type by record type, from NetSuite's REST API Browser (2026.1: the
 * `customer`, `invoice`, `customerPayment`, `creditMemo` and `customerRefund` definitions, their `item`,
 * `apply` and `credit` line definitions, and `nsResource`). Only the properties the simulator keeps or computes are described, each
 * with the type the schema gives it; a body field not described here is one the simulator does not know.
 *
 * `readOnly` marks what NetSuite computes (totals, balances, status, timestamps) and what the schema
 * flags read-only (`links`, a collection's `count`...): a REST write that sets one is refused.
 */
import type { NetSuiteRecordType } from './record-common';

/** How a property's value is written. */
export type FieldKind =
  /** JSON string. */
  | 'string'
  /** JSON boolean (a checkbox). */
  | 'boolean'
  /** JSON number (`format: double` or `float`). */
  | 'number'
  /** JSON integer (`format: int64`). */
  | 'integer'
  /** `YYYY-MM-DD` (`format: date`). */
  | 'date'
  /** ISO 8601 with a zone (`format: date-time`). */
  | 'datetime'
  /** A reference to another record (`nsResource` or a record type): `{ id }` or `{ externalId }`. */
  | 'ref'
  /** A select or radio field (`type: object` with `id` and `refName`): `{ id }`. */
  | 'select'
  /** A sublist (`...Collection`): `{ items: [line, ...] }`. */
  | 'sublist'
  /** Read-only things that are neither of the above (`links`). */
  | 'other';

/** One property. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Computed by NetSuite or flagged read-only by the schema. */
  readonly readOnly?: true;
  /** `select`: the ids accepted, when known. */
  readonly values?: readonly string[];
  /** `select`: a boolean is taken too (only in the state API, for books written before the REST shape). */
  readonly alsoBoolean?: true;
  /** `sublist`: its lines' properties. */
  readonly line?: Readonly<Record<string, FieldSpec>>;
  /** `sublist`: the field that matches a request line to a line already there (a keyed sublist). */
  readonly key?: string;
}

/** The properties of a record type, or of a sublist line. */
export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

const text: FieldSpec = { kind: 'string' };
const checkbox: FieldSpec = { kind: 'boolean' };
const number: FieldSpec = { kind: 'number' };
const date: FieldSpec = { kind: 'date' };
const ref: FieldSpec = { kind: 'ref' };
const computed = (kind: FieldKind, values?: readonly string[]): FieldSpec => ({ kind, readOnly: true, ...(values === undefined ? {} : { values }) });

/** `links` (flagged read-only) and `refName` (the record's display name, which NetSuite derives). */
const DERIVED: FieldSpecs = { links: computed('other'), refName: computed('string') };

/** The properties of a reference (`nsResource`): `refName` may be sent back and is not used. */
export const REF_FIELDS: FieldSpecs = { id: { kind: 'string' }, externalId: text, refName: text, links: computed('other') };

/** The properties of a select or radio value. */
export const SELECT_FIELDS: FieldSpecs = { id: text, refName: text };

/** The properties of a sublist: its lines, and the paging fields the schema flags read-only. */
export const COLLECTION_FIELDS: FieldSpecs = {
  links: computed('other'),
  count: computed('integer'),
  hasMore: computed('boolean'),
  offset: computed('integer'),
  totalResults: computed('integer'),
};

/** `invoice-itemElement` / `creditMemo-itemElement`: keyed by `line` when a request line gives one. */
const ITEM_LINE: FieldSpecs = {
  ...DERIVED,
  line: { kind: 'integer' },
  item: ref,
  quantity: number,
  rate: number,
  amount: number,
  description: text,
  class: ref,
  department: ref,
  location: ref,
};

/** `customerPayment-applyElement` / `creditMemo-applyElement` / `customerRefund-applyElement`: keyed by `doc`. */
const APPLY_LINE: FieldSpecs = {
  ...DERIVED,
  doc: ref,
  apply: checkbox,
  amount: number,
  line: { kind: 'integer' },
  due: computed('number'),
  total: computed('number'),
  refNum: computed('string'),
  applyDate: computed('date'),
  type: computed('string'),
  currency: computed('string'),
  createdFrom: computed('string'),
  job: computed('integer'),
  jobName: computed('string'),
};

/** `customerPayment-creditElement`: the credit memos a payment applies, keyed by `doc`. */
const CREDIT_LINE: FieldSpecs = {
  ...DERIVED,
  doc: ref,
  apply: checkbox,
  amount: number,
  line: { kind: 'integer' },
  due: computed('number'),
  total: computed('number'),
  refNum: computed('string'),
  creditDate: computed('date'),
  type: computed('string'),
  currency: computed('string'),
  createdFrom: computed('string'),
  appliedTo: computed('string'),
};

const item: FieldSpec = { kind: 'sublist', line: ITEM_LINE, key: 'line' };
const credit: FieldSpec = { kind: 'sublist', line: CREDIT_LINE, key: 'doc' };
const apply: FieldSpec = { kind: 'sublist', line: APPLY_LINE, key: 'doc' };

/** Header fields every transaction has. */
const TRANSACTION: FieldSpecs = {
  ...DERIVED,
  id: computed('string'),
  tranId: text,
  tranDate: date,
  currency: ref,
  subsidiary: ref,
  memo: text,
  externalId: text,
  total: computed('number'),
  createdDate: computed('datetime'),
  lastModifiedDate: computed('datetime'),
};

/**
 * Classification fields (Setup > Company > Classifications) and the form, which every transaction type's
 * schema has; their values must be rows of the account's shape (`shape-fields.ts`).
 */
const CLASSIFIED: FieldSpecs = { class: ref, department: ref, location: ref, customForm: ref };

/** `otherRefNum` ("PO/Check Number") and `salesRep`: invoice and credit memo schemas only. */
const SALES: FieldSpecs = { otherRefNum: text, salesRep: ref };

/** The REST properties of each record type the simulator keeps. */
export const RECORD_SCHEMAS: Readonly<Record<NetSuiteRecordType, FieldSpecs>> = {
  customer: {
    ...DERIVED,
    id: computed('string'),
    entityId: text,
    companyName: text,
    isPerson: checkbox,
    firstName: text,
    lastName: text,
    email: text,
    phone: text,
    subsidiary: ref,
    currency: ref,
    externalId: text,
    isInactive: checkbox,
    customForm: ref,
    altName: computed('string'),
    dateCreated: computed('datetime'),
    lastModifiedDate: computed('datetime'),
  },
  invoice: {
    ...TRANSACTION,
    ...CLASSIFIED,
    ...SALES,
    entity: ref,
    dueDate: date,
    item,
    subtotal: computed('number'),
    taxTotal: computed('number'),
    amountRemaining: computed('number'),
    amountPaid: computed('number'),
    status: computed('select', ['A', 'B', 'D', 'E', 'V']),
  },
  customerPayment: {
    ...TRANSACTION,
    ...CLASSIFIED,
    customer: ref,
    payment: number,
    account: ref,
    // The schema lists no values for this radio field; SuiteScript and SuiteQL give it as T / F.
    undepFunds: { kind: 'select', values: ['T', 'F'] },
    apply,
    credit,
    applied: computed('number'),
    unapplied: computed('number'),
    status: computed('select', ['A', 'R', 'B', 'C']),
  },
  creditMemo: {
    ...TRANSACTION,
    ...CLASSIFIED,
    ...SALES,
    entity: ref,
    item,
    apply,
    subtotal: computed('number'),
    applied: computed('number'),
    unapplied: computed('number'),
    amountRemaining: computed('number'),
    status: computed('select', ['A', 'B', 'V']),
  },
  customerRefund: {
    ...TRANSACTION,
    ...CLASSIFIED,
    customer: ref,
    account: ref,
    apply,
    status: computed('select', ['R', 'V']),
  },
};

/**
 * What only the `state` API takes: a void (a person's action in the UI; REST has no such field), and a
 * boolean `undepFunds` as books carry it.
 */
export const STATE_ONLY_FIELDS: Readonly<Record<NetSuiteRecordType, FieldSpecs>> = {
  customer: {},
  invoice: { voided: checkbox },
  customerPayment: { voided: checkbox, undepFunds: { kind: 'select', values: ['T', 'F'], alsoBoolean: true } },
  creditMemo: { voided: checkbox },
  customerRefund: { voided: checkbox },
};

/**
 * Every sublist of each record type in the 2026.1 REST API Browser: what `replace=` may name. The
 * simulator keeps only `item`, `apply` and (on payments) `credit`; naming another one replaces nothing it keeps.
 */
export const SUBLIST_NAMES: Readonly<Record<NetSuiteRecordType, readonly string[]>> = {
  customer: ['addressBook', 'campaigns', 'contactRoles', 'currencyList', 'groupPricing', 'itemPricing', 'partners', 'salesTeam', 'subscriptionMessageHistory', 'subscriptions', 'taxRegistration'],
  invoice: ['accountingBookDetail', 'appliedRules', 'expCost', 'giftCertRedemption', 'installment', 'item', 'itemCost', 'partners', 'promotions', 'salesTeam', 'shipGroup', 'taxDetails', 'time'],
  customerPayment: ['accountingBookDetail', 'appliedRules', 'apply', 'credit', 'deposit'],
  creditMemo: ['accountingBookDetail', 'appliedRules', 'apply', 'item', 'partners', 'promotions', 'salesTeam', 'shipGroup', 'taxDetails'],
  customerRefund: ['accountingBookDetail', 'apply', 'deposit'],
};
