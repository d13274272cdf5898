/**
 * Credits applied inside payments. NetSuite applies a customer payment's credits (its `credit` sublist:
 * credit memos) and its cash together to the invoices of its `apply` sublist, without saying which credit
 * went to which invoice; Invoiced applies each credit note to one invoice (`applied_to` entries of type
 * `credit_note`). Going to Invoiced, each credit is split over the invoices in order; going to NetSuite,
 * the credit entries of an Invoiced payment are summed per credit memo and per invoice. Either way every
 * invoice gets the same total, so balances agree whatever the split.
 */
import { MappingError } from './errors';
import { fromMinor } from './money';

/** A part of a credit applied to one invoice. */
export interface CreditShare {
  readonly credit: string;
  readonly invoice: string;
  readonly amount: bigint;
}

/** How a payment's credits are split over the invoices it pays. */
export interface CreditSplit {
  /** The credit part of each invoice, credit by credit. */
  readonly shares: CreditShare[];
  /** The cash part of each invoice (what it got less its credit part). */
  readonly cash: Map<string, bigint>;
}

/**
 * Splits `credits` (amount by credit memo, in order) over `invoices` (amount applied by invoice, in order):
 * each credit goes to the invoices in turn, those `preferred` first (the ones that exist on the other
 * side), so that a credit lands where it can be recorded.
 * @throws {MappingError} `CREDITS_EXCEED_APPLIED` when the credits are more than the invoices got in all.
 */
export function splitCredits(invoices: ReadonlyMap<string, bigint>, credits: ReadonlyMap<string, bigint>, preferred: (invoice: string) => boolean, about: { label: string; currency: string }): CreditSplit {
  const order = [...invoices.keys()].sort((a, b) => Number(!preferred(a)) - Number(!preferred(b)));
  const room = new Map(invoices);
  const shares: CreditShare[] = [];
  for (const [credit, amount] of credits) {
    let left = amount;
    for (const invoice of order) {
      if (left === 0n) break;
      const free = room.get(invoice) ?? 0n;
      if (free === 0n) continue;
      const part = free < left ? free : left;
      shares.push({ credit, invoice, amount: part });
      room.set(invoice, free - part);
      left -= part;
    }
    if (left > 0n) {
      const total = [...credits.values()].reduce((sum, value) => sum + value, 0n);
      const applied = [...invoices.values()].reduce((sum, value) => sum + value, 0n);
      throw new MappingError(
        'CREDITS_EXCEED_APPLIED',
        `${about.label} applies credits of ${fromMinor(total, about.currency)} ${about.currency} but its invoices get only ${fromMinor(applied, about.currency)} ${about.currency} in all.`,
        'A credit applied in a payment must go to the invoices the payment pays. Correct the payment, then retry it.',
        undefined,
        { details: { credits: fromMinor(total, about.currency), applied: fromMinor(applied, about.currency), currency: about.currency } },
      );
    }
  }
  return { shares, cash: room };
}
