/**
 * Line items, discounts and taxes of invoices and credit notes, and the totals they add up to. Quantities
 * and unit costs are exact decimals; a line's amount is their exact product rounded to the currency, half
 * away from zero. Invoiced multiplies floats and rounds with PHP 8.3's `round`, which first rounds to 15
 * significant digits, so for amounts written with a few decimals it gives the same cents (1 x 1.005 is
 * 1.01 on both). Discounts and taxes are rounded to the currency the same way, never refused.
 */
import type { InvoicedDatabase } from './database';
import { invalidRequest } from './errors';
import type { Decimal } from './money';
import { currencyExponent, decimalToNumber, minorToNumber, multiplyDecimals, parseDecimal, roundToMinor } from './money';
import type { InvoicedAdjustmentRecord, InvoicedLineItemRecord, StoredAdjustment, StoredDocument, StoredLineItem } from './records';
import type { AdjustmentInput, LineItemInput } from './schemas';
import { nextMetadata } from './metadata';

function decimal(value: number): Decimal {
  // Schemas only let finite numbers through, and every finite number has a decimal text.
  return parseDecimal(value) ?? { units: 0n, scale: 0 };
}

/** Discounts or taxes as written; each gets a new ID. */
export function buildAdjustments(db: InvoicedDatabase, inputs: readonly AdjustmentInput[]): StoredAdjustment[] {
  return inputs.map((input) => ({ id: db.nextId('lines'), amount: decimal(input.amount) }));
}

/**
 * Line items as written: an item with the `id` of an existing line changes that line (fields not given
 * stay), an item without `id` is a new line, and lines left out are removed.
 */
export function buildItems(db: InvoicedDatabase, inputs: readonly LineItemInput[], existing: readonly StoredLineItem[]): StoredLineItem[] {
  return inputs.map((input, index) => {
    const previous = input.id === undefined ? undefined : existing.find((line) => line.id === input.id);
    if (input.id !== undefined && previous === undefined) {
      throw invalidRequest(`No such line item on this document: ${input.id}`, `items.${index}.id`);
    }
    const line: StoredLineItem = previous === undefined
      ? {
          id: db.nextId('lines'),
          catalog_item: null,
          type: null,
          name: null,
          description: null,
          quantity: { units: 1n, scale: 0 },
          unit_cost: { units: 0n, scale: 0 },
          discountable: true,
          taxable: true,
          discounts: [],
          taxes: [],
          metadata: {},
        }
      : { ...previous };
    if (input.catalog_item !== undefined) line.catalog_item = input.catalog_item;
    if (input.type !== undefined) line.type = input.type;
    if (input.name !== undefined) line.name = input.name;
    if (input.description !== undefined) line.description = input.description;
    if (input.quantity !== undefined) line.quantity = decimal(input.quantity);
    if (input.unit_cost !== undefined) line.unit_cost = decimal(input.unit_cost);
    if (input.discountable !== undefined) line.discountable = input.discountable;
    if (input.taxable !== undefined) line.taxable = input.taxable;
    if (input.discounts !== undefined) line.discounts = buildAdjustments(db, input.discounts);
    if (input.taxes !== undefined) line.taxes = buildAdjustments(db, input.taxes);
    line.metadata = nextMetadata(line.metadata, input.metadata, 'legacy', `items.${index}.metadata`);
    return line;
  });
}

/** A line's amount: quantity × unit cost, exact, rounded to the currency (half away from zero). */
export function lineAmount(line: StoredLineItem, exponent: number): number {
  return roundToMinor(multiplyDecimals(line.quantity, line.unit_cost), exponent);
}

const sumOf = (adjustments: readonly StoredAdjustment[], exponent: number) =>
  adjustments.reduce((sum, adjustment) => sum + roundToMinor(adjustment.amount, exponent), 0);

/** Subtotal and total of a document in minor units: lines, less discounts, plus taxes. */
export function documentTotals(document: StoredDocument): { subtotal: number; total: number } {
  const exponent = currencyExponent(document.currency);
  let subtotal = 0;
  let discounts = sumOf(document.discounts, exponent);
  let taxes = sumOf(document.taxes, exponent);
  for (const line of document.items) {
    subtotal += lineAmount(line, exponent);
    discounts += sumOf(line.discounts, exponent);
    taxes += sumOf(line.taxes, exponent);
  }
  return { subtotal, total: subtotal - discounts + taxes };
}

/** Discounts or taxes as Invoiced answers them. */
export function renderAdjustments(adjustments: readonly StoredAdjustment[], object: 'discount' | 'tax', exponent: number): InvoicedAdjustmentRecord[] {
  return adjustments.map((adjustment) => ({ id: adjustment.id, object, amount: minorToNumber(roundToMinor(adjustment.amount, exponent), exponent) }));
}

/** Line items as Invoiced answers them. */
export function renderItems(items: readonly StoredLineItem[], exponent: number): InvoicedLineItemRecord[] {
  return items.map((line) => ({
    id: line.id,
    object: 'line_item',
    catalog_item: line.catalog_item,
    type: line.type,
    name: line.name,
    description: line.description,
    quantity: decimalToNumber(line.quantity),
    unit_cost: decimalToNumber(line.unit_cost),
    amount: minorToNumber(lineAmount(line, exponent), exponent),
    discountable: line.discountable,
    discounts: renderAdjustments(line.discounts, 'discount', exponent),
    taxable: line.taxable,
    taxes: renderAdjustments(line.taxes, 'tax', exponent),
    metadata: { ...line.metadata },
  }));
}
