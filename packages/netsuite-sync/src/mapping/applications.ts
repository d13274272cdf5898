/**
 * The applications of a payment, both ways: amounts summed per invoice in minor units, and the check
 * that a payment does not apply more than it is.
 */
import { MappingError } from './errors';
import { fromMinor } from './money';

/** Amounts by document, in order of first appearance; zero amounts dropped, negative ones refused. */
export function byDocument(entries: { doc: string; amount: bigint }[], currency: string): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const { doc, amount } of entries) {
    if (amount < 0n) {
      throw new MappingError('INVALID_RECORD', `The payment applies a negative amount (${fromMinor(amount, currency)} ${currency}) to invoice ${doc}.`, 'Check the applications of the payment, then retry it.');
    }
    totals.set(doc, (totals.get(doc) ?? 0n) + amount);
  }
  for (const [doc, amount] of totals) if (amount === 0n) totals.delete(doc);
  return totals;
}

/** Refuses a payment that applies more than its amount. */
export function checkApplied(applied: bigint, amount: bigint, currency: string, label: string): void {
  if (applied > amount) {
    throw new MappingError(
      'APPLIED_EXCEEDS_PAYMENT',
      `${label} applies ${fromMinor(applied, currency)} ${currency} to invoices but is only ${fromMinor(amount, currency)} ${currency}.`,
      'Correct the applications of the payment, then retry it.',
      undefined,
      { details: { applied: fromMinor(applied, currency), amount: fromMinor(amount, currency), currency } },
    );
  }
}
