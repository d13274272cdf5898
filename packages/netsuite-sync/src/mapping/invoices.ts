/**
 * NetSuite invoices into Invoiced: the header and item lines of a NetSuite invoice (a REST record with
 * `item.items`, or a SuiteQL `transaction` row with its `transactionline` rows) become the body of an
 * Invoiced invoice. Amounts are checked in minor units: the lines must add up to the NetSuite total.
 *
 * SuiteQL's `transactionline` is the ledger, not the `item` sublist: besides the item lines it holds the
 * main line (`mainline = 'T'`), tax lines (`taxline = 'T'`) and COGS lines (`iscogs = 'T'`), and its
 * `foreignamount` and `quantity` carry the ledger's sign: an invoice's item and tax lines are credits, so
 * they are negative, while `rate` is as entered. Only item lines become Invoiced line items; tax lines
 * become one Invoiced tax; the main line and COGS lines are left out.
 */
import { currencyCodeFromNetSuite, type NetSuiteCurrencyMap } from './currencies';
import { netsuiteIdOf } from './customers';
import { dateToUnixSeconds } from './dates';
import { MappingError, withRecord } from './errors';
import { field, flag, refId, refName, text, type RecordLike } from './fields';
import { decimalToScale, currencyExponent, fromMinor, minorToNumber, multiplyDecimals, parseDecimal, sumMinor, toMinor, type Decimal } from './money';

/**
 * A NetSuite invoice: a REST `invoice` record or a SuiteQL `transaction` row. Fields read: `id`, `tranId`,
 * `tranDate` and `dueDate` (`YYYY-MM-DD`), `currency`, `total` (or `foreignTotal`), `taxTotal`,
 * `discountTotal`, `otherRefNum`, `status`, and `item.items` when no lines are passed separately.
 */
export type NetSuiteInvoiceSource = RecordLike;
/**
 * A NetSuite invoice line: an entry of `item.items` (signed as the document shows it, with `amount`) or a
 * SuiteQL `transactionline` row (signed as the ledger, with `foreignAmount`). Fields read: `item` (and
 * `itemName`, e.g. `BUILTIN.DF(item) AS itemname`), `quantity`, `rate`, `amount` or `foreignAmount`,
 * `description` (or `memo`), `mainline` and `isCogs` (skipped), `taxLine` (summed into the tax).
 */
export type NetSuiteInvoiceLineSource = RecordLike;

/** One line of an Invoiced invoice body. */
export type InvoicedLineBody = { name: string; description?: string; quantity: number; unit_cost: number };

/** The Invoiced invoice body built from a NetSuite invoice; fits the client's `invoices.create`. */
export type InvoicedInvoiceBody = {
  customer: number;
  number?: string;
  /** Lower case, as Invoiced writes it. */
  currency: string;
  /** UNIX seconds: noon of `tranDate` in the accounts' time zone. */
  date: number;
  due_date?: number;
  purchase_order?: string;
  draft: false;
  items: InvoicedLineBody[];
  discounts?: { amount: number }[];
  taxes?: { amount: number }[];
  metadata: { netsuite_id: string };
};

/** Options of {@link netsuiteInvoiceToInvoiced}. */
export interface NetSuiteInvoiceToInvoicedOptions {
  /** Resolves NetSuite currency IDs to ISO codes; not needed when the record carries the code. */
  currencies?: NetSuiteCurrencyMap | undefined;
  /** IANA time zone in which NetSuite dates are days. @default 'UTC' */
  timeZone?: string | undefined;
}

interface ReadLine {
  kind: 'item' | 'tax';
  name: string;
  description: string | undefined;
  quantity: Decimal | undefined;
  rate: Decimal | undefined;
  amount: bigint;
}

const negate = (value: Decimal | undefined): Decimal | undefined => (value === undefined ? undefined : { units: -value.units, scale: value.scale });

/**
 * The ledger sign of a document's item and tax lines in `transactionline`: an invoice's are credits
 * (negative), a credit memo's debits (positive).
 */
export type LedgerSide = 'credit' | 'debit';

function readLine(line: RecordLike, currency: string, side: LedgerSide): ReadLine | undefined {
  if (flag(field(line, 'mainline')) === true || flag(field(line, 'isCogs')) === true) return undefined;
  const documentAmount = field(line, 'amount');
  // `transactionline.foreignamount` is a ledger amount: an invoice's income and tax lines are credits,
  // negative, and so is their quantity. Turned over, they read as the invoice shows them.
  const ledger = documentAmount === undefined;
  const rawAmount = ledger ? field(line, 'foreignAmount') : documentAmount;
  const rate = parseDecimal(field(line, 'rate'));
  const turn = ledger && side === 'credit';
  const quantity = turn ? negate(parseDecimal(field(line, 'quantity'))) : parseDecimal(field(line, 'quantity'));
  const item = field(line, 'item');
  const description = text(field(line, 'description', 'memo'));
  const name = text(field(line, 'itemName')) ?? refName(item) ?? description ?? (refId(item) === undefined ? 'Item' : `Item ${refId(item)}`);
  let amount: bigint;
  if (rawAmount !== undefined) amount = turn ? -toMinor(rawAmount as number | string, currency) : toMinor(rawAmount as number | string, currency);
  else if (rate !== undefined) amount = decimalToScale(multiplyDecimals(quantity ?? { units: 1n, scale: 0 }, rate), currencyExponent(currency), true) ?? 0n;
  else return undefined; // a description-only line: nothing to bill
  const kind = flag(field(line, 'taxLine')) === true ? 'tax' : 'item';
  return { kind, name, description: description === name ? undefined : description, quantity, rate, amount };
}

/** Invoiced bills `quantity × unit_cost`: keep NetSuite's pair when it gives the line amount, else one unit of the amount. */
function toInvoicedLine(line: ReadLine, currency: string): InvoicedLineBody {
  const base = line.description === undefined ? { name: line.name } : { name: line.name, description: line.description };
  const { quantity, rate } = line;
  if (rate !== undefined) {
    const units = quantity ?? { units: 1n, scale: 0 };
    if (decimalToScale(multiplyDecimals(units, rate), currencyExponent(currency), true) === line.amount) {
      return { ...base, quantity: Number(decimalText(units)), unit_cost: Number(decimalText(rate)) };
    }
  }
  return { ...base, quantity: 1, unit_cost: minorToNumber(line.amount, currency) };
}

function decimalText(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const cut = digits.length - value.scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}${value.scale === 0 ? '' : `.${digits.slice(cut)}`}`;
}

function optionalMinor(record: RecordLike, currency: string, ...names: string[]): bigint | undefined {
  const value = field(record, ...names);
  return value === undefined ? undefined : toMinor(value as number | string, currency);
}

/**
 * An Invoiced invoice body from a NetSuite invoice: `number` = `tranId`, `date`/`due_date` in UNIX
 * seconds, `currency` in lower case, one item per NetSuite line (`quantity` × `unit_cost` when that gives
 * the line amount exactly, else 1 × the amount), the header discount and tax as Invoiced `discounts` and
 * `taxes`, `purchase_order` from `otherRefNum`, `metadata.netsuite_id`, `draft: false`.
 *
 * `lines` are the invoice's lines (SuiteQL `transactionline` rows, signed as the ledger: see the module
 * comment); leave it `undefined` to read a REST record's `item.items`. The tax is the sum of the tax lines
 * when there are any, else the header's `taxTotal`.
 * @throws {MappingError} `TOTAL_MISMATCH` when the item lines, less the discount and plus the tax, do not
 * add up to the NetSuite total; `UNKNOWN_CURRENCY`, `INVALID_DATE`, `INVALID_AMOUNT`, `AMOUNT_PRECISION`,
 * `INVALID_RECORD` otherwise. Every error carries the invoice number.
 * @example
 * netsuiteInvoiceToInvoiced(
 *   { id: '901', tranid: 'INV-901', trandate: '2026-03-31', currency: 'USD', foreigntotal: '162.38' },
 *   [
 *     { item: 12, itemname: 'Consulting', quantity: '-3', rate: '50', foreignamount: '-150', taxline: 'F' },
 *     { item: 30, itemname: 'Sales Tax', foreignamount: '-12.38', taxline: 'T' },
 *   ],
 *   15444,
 * ); // { ..., items: [{ name: 'Consulting', quantity: 3, unit_cost: 50 }], taxes: [{ amount: 12.38 }], ... }
 */
export function netsuiteInvoiceToInvoiced(
  invoice: NetSuiteInvoiceSource,
  lines: readonly NetSuiteInvoiceLineSource[] | undefined,
  customer: number,
  options: NetSuiteInvoiceToInvoicedOptions = {},
): InvoicedInvoiceBody {
  const id = netsuiteIdOf(invoice, 'invoice');
  const number = text(field(invoice, 'tranId'));
  return withRecord('invoice', number ?? id, () => {
    const document = readNetSuiteDocument(invoice, lines, { id, label: `NetSuite invoice ${number ?? id}`, what: 'invoice', side: 'credit' }, options);
    const body: InvoicedInvoiceBody = { customer, ...document.head, draft: false, items: document.items, metadata: { netsuite_id: id } };
    if (number !== undefined) body.number = number;
    const dueDate = text(field(invoice, 'dueDate'));
    if (dueDate !== undefined) body.due_date = dateToUnixSeconds(dueDate, options.timeZone);
    const purchaseOrder = text(field(invoice, 'otherRefNum'));
    if (purchaseOrder !== undefined) body.purchase_order = purchaseOrder;
    if (document.discounts !== undefined) body.discounts = document.discounts;
    if (document.taxes !== undefined) body.taxes = document.taxes;
    return body;
  });
}

/** What {@link readNetSuiteDocument} reads of an invoice or credit memo. @internal */
export interface NetSuiteDocumentRead {
  head: { currency: string; date: number };
  items: InvoicedLineBody[];
  discounts: { amount: number }[] | undefined;
  taxes: { amount: number }[] | undefined;
}

/**
 * The currency, date, lines, discount and tax of a NetSuite invoice or credit memo, its item lines
 * checked against its total (see {@link netsuiteInvoiceToInvoiced}). @internal
 */
export function readNetSuiteDocument(
  document: RecordLike,
  lines: readonly RecordLike[] | undefined,
  about: { id: string; label: string; what: string; side: LedgerSide },
  options: NetSuiteInvoiceToInvoicedOptions,
): NetSuiteDocumentRead {
  const { label, what } = about;
  const rawCurrency = field(document, 'currency');
  if (rawCurrency === undefined) throw new MappingError('UNKNOWN_CURRENCY', `${label} has no currency.`, `Read the ${what} with its currency field.`);
  const currency = currencyCodeFromNetSuite(rawCurrency, options.currencies);
  const tranDate = text(field(document, 'tranDate'));
  if (tranDate === undefined) throw new MappingError('INVALID_DATE', `${label} has no date.`, `Read the ${what} with its tranDate field.`);
  const sublist = field(document, 'item') as { items?: unknown } | undefined;
  const source = lines ?? (Array.isArray(sublist?.items) ? (sublist.items as RecordLike[]) : []);
  const read = source.map((line) => readLine(line, currency, about.side)).filter((line): line is ReadLine => line !== undefined);
  const items = read.filter((line) => line.kind === 'item');
  const taxLines = read.filter((line) => line.kind === 'tax');

  const total = optionalMinor(document, currency, 'total', 'foreignTotal');
  const tax = taxLines.length > 0 ? sumMinor(taxLines.map((line) => line.amount)) : (optionalMinor(document, currency, 'taxTotal') ?? 0n);
  const discountTotal = optionalMinor(document, currency, 'discountTotal') ?? 0n;
  const discount = discountTotal < 0n ? -discountTotal : discountTotal; // NetSuite shows discounts negative
  const lineSum = sumMinor(items.map((line) => line.amount));
  // SuiteQL may sign a credit memo's total as the ledger does (negative): its size is what counts.
  const size = total !== undefined && total < 0n ? -total : total;
  if (size !== undefined) {
    const expected = size - tax + discount;
    if (lineSum !== expected) {
      const linesTotal = fromMinor(lineSum - discount + tax, currency);
      throw new MappingError(
        'TOTAL_MISMATCH',
        `${label}: its lines add up to ${linesTotal} ${currency} but its total is ${fromMinor(size, currency)} ${currency}.`,
        `The ${what} has amounts the sync does not read (e.g. shipping or handling charges, or a discount on the header). Check the ${what} in NetSuite, then retry it.`,
        undefined,
        { details: { netsuiteTotal: fromMinor(size, currency), linesTotal, currency } },
      );
    }
  }
  return {
    head: { currency: currency.toLowerCase(), date: dateToUnixSeconds(tranDate, options.timeZone) },
    items: items.map((line) => toInvoicedLine(line, currency)),
    discounts: discount === 0n ? undefined : [{ amount: minorToNumber(discount, currency) }],
    taxes: tax === 0n ? undefined : [{ amount: minorToNumber(tax, currency) }],
  };
}

/** Where a NetSuite invoice stands. */
export type NetSuiteInvoiceStatus = 'open' | 'paid' | 'pending_approval' | 'rejected' | 'voided' | 'unknown';

const STATUS_BY_KEY: Readonly<Record<string, NetSuiteInvoiceStatus>> = {
  a: 'open',
  open: 'open',
  b: 'paid',
  paidinfull: 'paid',
  d: 'pending_approval',
  pendingapproval: 'pending_approval',
  e: 'rejected',
  rejected: 'rejected',
  v: 'voided',
  voided: 'voided',
};

/**
 * The status of a NetSuite invoice from whichever form it came in: a SuiteQL letter (`'A'`), a compound
 * value (`'CustInvc:A'`), a REST reference (`{ id: 'open', refName: 'Open' }`) or a display name.
 * @example netsuiteInvoiceStatus({ status: 'CustInvc:B' }) === 'paid';
 */
export function netsuiteInvoiceStatus(invoice: NetSuiteInvoiceSource): NetSuiteInvoiceStatus {
  const status = field(invoice, 'status');
  const candidates = [refId(status), refName(status)].filter((value): value is string => value !== undefined);
  for (const candidate of candidates) {
    const key = candidate.replace(/^CustInvc:/i, '').replace(/[\s_-]/g, '').toLowerCase();
    const found = STATUS_BY_KEY[key];
    if (found !== undefined) return found;
  }
  return 'unknown';
}
