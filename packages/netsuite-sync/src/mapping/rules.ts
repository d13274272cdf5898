/**
 * Payment account rules: which NetSuite account a payment received on Invoiced is deposited to, by
 * currency and payment method, with `*` wildcards; the most specific rule wins (as in Invoiced's own
 * NetSuite integration). `account: 'undeposited'` means NetSuite's Undeposited Funds.
 */
import { z } from 'zod';
import { MappingError } from './errors';

/** One rule. `currency` is an ISO code or `*`; `method` an Invoiced payment method or `*`. */
export interface PaymentAccountRule {
  readonly currency: string;
  readonly method: string;
  /** A NetSuite account internal ID, or `'undeposited'` for Undeposited Funds. */
  readonly account: string;
}

/** Where a payment goes. */
export type PaymentAccount = { readonly kind: 'undeposited' } | { readonly kind: 'account'; readonly id: string };

/**
 * zod schema of one rule, for the engine's settings.
 * @example paymentAccountRuleSchema.parse({ currency: 'USD', method: 'check', account: '118' });
 */
export const paymentAccountRuleSchema = z.strictObject({
  currency: z.union([z.literal('*'), z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code or *')]),
  method: z.string().trim().min(1),
  account: z.string().trim().min(1),
});

/**
 * zod schema of a list of rules: two rules for the same currency and method must not name different accounts.
 * @example paymentAccountRulesSchema.parse([{ currency: '*', method: '*', account: 'undeposited' }]);
 */
export const paymentAccountRulesSchema = z.array(paymentAccountRuleSchema).superRefine((rules, context) => {
  const seen = new Map<string, string>();
  rules.forEach((rule, index) => {
    const key = `${rule.currency.toUpperCase()}|${rule.method.toLowerCase()}`;
    const account = seen.get(key);
    if (account !== undefined && account !== rule.account) {
      context.addIssue({ code: 'custom', path: [index], message: `conflicts with another rule for ${rule.currency} / ${rule.method}` });
    }
    seen.set(key, rule.account);
  });
});

function specificity(rule: PaymentAccountRule, currency: string, method: string): number {
  const ruleCurrency = rule.currency.trim().toUpperCase();
  const ruleMethod = rule.method.trim().toLowerCase();
  const currencyScore = ruleCurrency === '*' ? 0 : ruleCurrency === currency ? 2 : -1;
  const methodScore = ruleMethod === '*' ? 0 : ruleMethod === method ? 1 : -1;
  return currencyScore < 0 || methodScore < 0 ? -1 : currencyScore + methodScore;
}

/**
 * The account of a payment: the most specific matching rule wins, in this order: exact currency + exact
 * method, exact currency + `*`, `*` + exact method, `*` + `*`. Currency and method compare case-insensitively.
 * @throws {MappingError} `NO_PAYMENT_ACCOUNT` when no rule matches; `AMBIGUOUS_PAYMENT_ACCOUNT` when the
 * best matching rules name different accounts.
 * @example
 * const rules = [{ currency: '*', method: '*', account: 'undeposited' }, { currency: 'USD', method: 'check', account: '118' }];
 * resolvePaymentAccount(rules, { currency: 'usd', method: 'check' }); // { kind: 'account', id: '118' }
 * resolvePaymentAccount(rules, { currency: 'eur', method: 'ach' });   // { kind: 'undeposited' }
 */
export function resolvePaymentAccount(rules: readonly PaymentAccountRule[], payment: { currency: string; method?: string | null | undefined }): PaymentAccount {
  const currency = payment.currency.trim().toUpperCase();
  const method = (payment.method ?? 'other').trim().toLowerCase() || 'other';
  let best = -1;
  let accounts = new Set<string>();
  for (const rule of rules) {
    const score = specificity(rule, currency, method);
    if (score < 0 || score < best) continue;
    if (score > best) {
      best = score;
      accounts = new Set();
    }
    accounts.add(rule.account.trim());
  }
  const [account] = accounts;
  if (account === undefined) {
    throw new MappingError(
      'NO_PAYMENT_ACCOUNT',
      `No payment account rule matches ${currency} payments by ${method}.`,
      `Add a payment account rule for ${currency} / ${method} (or a * rule) in the integration settings, then retry the payment.`,
      undefined,
      { entity: 'payment', details: { currency, method } },
    );
  }
  if (accounts.size > 1) {
    throw new MappingError(
      'AMBIGUOUS_PAYMENT_ACCOUNT',
      `Payment account rules for ${currency} / ${method} name different accounts (${[...accounts].join(', ')}).`,
      'Keep one rule per currency and method in the integration settings, then retry the payment.',
      undefined,
      { entity: 'payment', details: { currency, method } },
    );
  }
  return account.toLowerCase() === 'undeposited' ? { kind: 'undeposited' } : { kind: 'account', id: account };
}
