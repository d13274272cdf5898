/**
 * A transaction being written: the stored record (if any) with a REST body laid over it, the body already
 * checked against the record type's schema (`body-check.ts`). Header fields replace. Sublists follow
 * Oracle's "Updating a Sublist" and "Replacing a Sublist": `item` lines are keyed by `line` where a
 * request line gives one, so a line without it is ADDED to the lines already there; `apply` lines (and a
 * payment's `credit` lines) are keyed by `doc` and merged. The documents a sublist may name: invoices in
 * the `apply` of payments and credit memos, credit memos in a payment's `credit`, credit memos and
 * customer payments in a refund's `apply` (anything else: `INVALID_CONTENT` on the line's `doc`). A sublist named in `replace` keeps only the lines of the request (a line
 * whose key matches keeps its other fields). Nothing is checked against other records' amounts here.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Stamp } from './dates';
import { missingField } from './errors';
import { booleanAt, dateAt, decimalAt, externalIdAt, objectAt, refAt, resolveRef, stringAt, sublistAt, type Body } from './fields';
import { decimalToNumber, storedDecimal, type Decimal } from './money';
import { TRANSACTION_TYPES, type NetSuiteRecordType, type TransactionRecordType, type TransactionType } from './record-common';
import { bodyFieldsOf, extrasOfRow, lineFieldsOf, readExtras, type ExtraValues } from './shape-fields';
import { prepared } from './statements';

/** One `item` line. */
export interface LineDraft {
  line: number;
  item: number | null;
  quantity: Decimal | null;
  rate: Decimal | null;
  amount: Decimal | null;
  description: string | null;
  /** Whether this write gave the amount (otherwise it is quantity × rate). */
  amountGiven: boolean;
  /** Index in the request's `item.items`, for error paths. */
  index?: number;
  /** Values of the shape's line fields (`class`, `custcol_...`), by column (`shape-fields.ts`). */
  extras: ExtraValues;
  /** What this write gave them (`null`: cleared); `undefined` for a line the write did not touch. */
  given?: ExtraValues;
  /** Whether this write added the line. */
  added?: boolean;
}

/**
 * One line of an `apply` or `credit` sublist: a payment or credit memo applied to an invoice, a credit
 * memo applied by a payment, or a credit memo or payment refunded; `amount` null = all the doc has left.
 */
export interface ApplicationDraft {
  doc: number;
  amount: Decimal | null;
  /** Index in the request's `apply.items` (or `credit.items`), for error paths. */
  index?: number;
}

/** A transaction as the write sees it. */
export interface TransactionDraft {
  id: number | undefined;
  type: TransactionType;
  tranid: string | null;
  trandate: Stamp | null;
  duedate: Stamp | null;
  entity: number | null;
  currency: number | null;
  subsidiary: number | null;
  memo: string | null;
  externalid: string | null;
  account: number | null;
  undepfunds: boolean | null;
  voided: boolean;
  /** A payment's amount. */
  payment: Decimal | null;
  lines: LineDraft[];
  applications: ApplicationDraft[];
  /** A payment's `credit` lines: the credit memos it applies. */
  credits: ApplicationDraft[];
  createddate: Stamp | null;
  /** Values of the shape's body fields (`class`, `customForm`, `custbody_...`), by column (`shape-fields.ts`). */
  extras: ExtraValues;
  /** What this write gave them (`null`: cleared). */
  given: ExtraValues;
}

/** The field naming the customer: `customer` on payments and refunds, `entity` elsewhere. */
export function entityField(recordType: NetSuiteRecordType): 'customer' | 'entity' {
  return recordType === 'customerPayment' || recordType === 'customerRefund' ? 'customer' : 'entity';
}

/** The SuiteQL types of the documents a sublist of a transaction type may name. */
function docTypes(type: TransactionType, sublist: 'apply' | 'credit'): readonly TransactionType[] {
  if (sublist === 'credit') return ['CustCred'];
  return type === 'CustRfnd' ? ['CustCred', 'CustPymt'] : ['CustInvc'];
}

/** An empty draft of a type. */
export function emptyDraft(recordType: TransactionRecordType): TransactionDraft {
  return {
    id: undefined,
    type: TRANSACTION_TYPES[recordType],
    tranid: null,
    trandate: null,
    duedate: null,
    entity: null,
    currency: null,
    subsidiary: null,
    memo: null,
    externalid: null,
    account: null,
    undepfunds: null,
    voided: false,
    payment: null,
    lines: [],
    applications: [],
    credits: [],
    createddate: null,
    extras: {},
    given: {},
  };
}

/** The stored transaction as a draft; `undefined` when there is none of that type. */
export function loadDraft(db: DatabaseSync, type: TransactionType, id: number): TransactionDraft | undefined {
  const row = prepared(db, 'SELECT * FROM ns_transaction WHERE id = ? AND type = ?').get(id, type);
  if (row === undefined) return undefined;
  const recordType = recordTypeOfTransaction(type);
  const lineFields = lineFieldsOf(db, recordType);
  const lines = prepared(db, 'SELECT * FROM ns_transactionline WHERE "transaction" = ? AND mainline = \'F\' ORDER BY id').all(id);
  const links = prepared(db, 'SELECT previousdoc, previoustype, foreignamount FROM ns_transactionlink WHERE nextdoc = ? ORDER BY nextline').all(id);
  const credits = (link: { previoustype?: unknown }) => type === 'CustPymt' && link.previoustype === 'CustCred';
  const number = (value: unknown) => (value === null ? null : Number(value));
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id,
    type,
    tranid: text(row.tranid),
    trandate: text(row.trandate),
    duedate: text(row.duedate),
    entity: number(row.entity),
    currency: number(row.currency),
    subsidiary: number(row.subsidiary),
    memo: text(row.memo),
    externalid: text(row.externalid),
    account: number(row.account),
    undepfunds: row.undepfunds === null ? null : row.undepfunds === 'T',
    voided: row.voided === 'T',
    payment: type === 'CustPymt' ? (storedDecimal(row.foreigntotal) ?? null) : null,
    lines: lines.map((line) => ({
      line: Number(line.id),
      item: number(line.item),
      quantity: storedDecimal(line.quantity) ?? null,
      rate: storedDecimal(line.rate) ?? null,
      amount: storedDecimal(line.foreignamount) ?? null,
      description: text(line.memo),
      amountGiven: true,
      extras: extrasOfRow(lineFields, line),
    })),
    applications: links.filter((link) => !credits(link)).map((link) => ({ doc: Number(link.previousdoc), amount: storedDecimal(link.foreignamount) ?? null })),
    credits: links.filter(credits).map((link) => ({ doc: Number(link.previousdoc), amount: storedDecimal(link.foreignamount) ?? null })),
    createddate: text(row.createddate),
    extras: extrasOfRow(bodyFieldsOf(db, recordType), row),
    given: {},
  };
}

/** The record type of a SuiteQL transaction type. */
function recordTypeOfTransaction(type: TransactionType): TransactionRecordType {
  const entry = Object.entries(TRANSACTION_TYPES).find(([, code]) => code === type);
  return (entry?.[0] ?? 'invoice') as TransactionRecordType;
}

/** `undepFunds`: `{ id: 'T' | 'F' }` as REST writes it, or a boolean from the state API. */
function undepFundsAt(body: Body): boolean | undefined {
  const value = body.undepFunds;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  return (value as Body).id === 'T';
}

/** Lays a checked REST body over a draft, resolving every reference. */
export function applyBody(db: DatabaseSync, recordType: TransactionRecordType, draft: TransactionDraft, input: unknown, replace: ReadonlySet<string>): void {
  const body = objectAt(input, '');
  const key = entityField(recordType);
  const entity = refAt(body, key);
  if (entity === null) throw missingField(key, 'Customer');
  if (entity !== undefined) draft.entity = resolveRef(db, 'customer', entity, key);
  const set = <K extends keyof TransactionDraft>(field: K, value: TransactionDraft[K] | undefined) => {
    if (value !== undefined) draft[field] = value;
  };
  set('tranid', stringAt(body, 'tranId'));
  set('trandate', dateAt(body, 'tranDate'));
  set('duedate', dateAt(body, 'dueDate'));
  set('memo', stringAt(body, 'memo'));
  set('externalid', externalIdAt(body));
  set('undepfunds', undepFundsAt(body));
  set('voided', booleanAt(body, 'voided'));
  set('payment', decimalAt(body, 'payment'));
  for (const [field, table] of [['currency', 'currency'], ['subsidiary', 'subsidiary'], ['account', 'account']] as const) {
    const ref = refAt(body, field);
    if (ref !== undefined) draft[field] = ref === null ? null : resolveRef(db, table, ref, field);
  }
  if (draft.type === 'CustPymt' && draft.undepfunds === false && draft.account === null) throw missingField('account', 'Account');
  draft.given = readExtras(db, recordType, bodyFieldsOf(db, recordType), body);
  Object.assign(draft.extras, draft.given);
  applyLines(db, recordType, draft, body, replace.has('item'));
  applyApplications(db, draft, body, 'apply', replace.has('apply'));
  if (draft.type === 'CustPymt') applyApplications(db, draft, body, 'credit', replace.has('credit'));
}

function newLine(number: number): LineDraft {
  return { line: number, item: null, quantity: null, rate: null, amount: null, description: null, amountGiven: false, extras: {}, added: true };
}

function applyLines(db: DatabaseSync, recordType: TransactionRecordType, draft: TransactionDraft, body: Body, replace: boolean): void {
  const lineFields = lineFieldsOf(db, recordType);
  const items = sublistAt(body, 'item');
  if (items === undefined || (items === null && !replace)) return;
  const entries = items ?? [];
  // Line numbers are never reused within a write, as NetSuite does not renumber lines.
  let next = Math.max(0, ...draft.lines.map((line) => line.line));
  const keyOf = (entry: Body, prefix: string) => {
    const number = decimalAt(entry, 'line', prefix);
    return number === undefined || number === null ? undefined : decimalToNumber(number);
  };
  if (replace) {
    const keys = new Set(entries.map((entry, index) => keyOf(entry, `item.items[${index}]`)));
    draft.lines = draft.lines.filter((line) => keys.has(line.line));
  }
  entries.forEach((entry, index) => {
    const prefix = `item.items[${index}]`;
    const key = keyOf(entry, prefix);
    const target = key === undefined ? undefined : draft.lines.find((line) => line.line === key);
    const line = target ?? newLine((next += 1));
    if (target === undefined) draft.lines.push(line);
    line.index = index;
    const item = refAt(entry, 'item', prefix);
    if (item !== undefined) line.item = item === null ? null : resolveRef(db, 'item', item, `${prefix}.item`);
    const quantity = decimalAt(entry, 'quantity', prefix);
    if (quantity !== undefined) line.quantity = quantity;
    const rate = decimalAt(entry, 'rate', prefix);
    if (rate !== undefined) line.rate = rate;
    const amount = decimalAt(entry, 'amount', prefix);
    line.amountGiven = amount !== undefined && amount !== null;
    if (amount !== undefined) line.amount = amount;
    const description = stringAt(entry, 'description', prefix);
    if (description !== undefined) line.description = description;
    line.given = readExtras(db, recordType, lineFields, entry, prefix);
    Object.assign(line.extras, line.given);
  });
}

function applyApplications(db: DatabaseSync, draft: TransactionDraft, body: Body, sublist: 'apply' | 'credit', replace: boolean): void {
  const items = sublistAt(body, sublist);
  if (items === undefined || (items === null && !replace)) return;
  const field = sublist === 'apply' ? 'applications' : 'credits';
  const before = new Map(draft[field].map((application) => [application.doc, application]));
  if (replace) draft[field] = [];
  const types = docTypes(draft.type, sublist).map((type) => `'${type}'`).join(', ');
  (items ?? []).forEach((entry, index) => {
    const prefix = `${sublist}.items[${index}]`;
    const ref = refAt(entry, 'doc', prefix);
    if (ref === undefined || ref === null) throw missingField(`${prefix}.doc`, 'Apply To');
    const doc = resolveRef(db, 'ns_transaction', ref, `${prefix}.doc`, `type IN (${types})`);
    const previous = before.get(doc);
    const apply = booleanAt(entry, 'apply', prefix) ?? true;
    // A line whose key matches keeps what the request leaves out.
    const amount = decimalAt(entry, 'amount', prefix) ?? (entry.amount === undefined ? (previous?.amount ?? null) : null);
    draft[field] = draft[field].filter((application) => application.doc !== doc);
    if (apply && amount !== 0n) draft[field].push({ doc, amount, index });
  });
}
