import { describe, expect, it } from 'vitest';
import { MappingError } from './errors';
import { paymentAccountRulesSchema, resolvePaymentAccount } from './rules';

const rules = [
  { currency: '*', method: '*', account: 'undeposited' },
  { currency: '*', method: 'check', account: '110' },
  { currency: 'USD', method: '*', account: '120' },
  { currency: 'USD', method: 'check', account: '130' },
];

describe('resolvePaymentAccount', () => {
  it('prefers exact currency and exact method', () => {
    expect(resolvePaymentAccount(rules, { currency: 'usd', method: 'check' })).toEqual({ kind: 'account', id: '130' });
  });

  it('then exact currency with any method', () => {
    expect(resolvePaymentAccount(rules, { currency: 'USD', method: 'ach' })).toEqual({ kind: 'account', id: '120' });
  });

  it('ranks an exact currency above an exact method', () => {
    const withoutExactPair = rules.filter((rule) => rule.account !== '130');
    expect(resolvePaymentAccount(withoutExactPair, { currency: 'USD', method: 'check' })).toEqual({ kind: 'account', id: '120' });
  });

  it('then any currency with the exact method', () => {
    expect(resolvePaymentAccount(rules, { currency: 'EUR', method: 'CHECK' })).toEqual({ kind: 'account', id: '110' });
  });

  it('then the catch-all, here Undeposited Funds', () => {
    expect(resolvePaymentAccount(rules, { currency: 'EUR', method: 'wire_transfer' })).toEqual({ kind: 'undeposited' });
  });

  it('does not depend on the order of the rules', () => {
    expect(resolvePaymentAccount([...rules].reverse(), { currency: 'usd', method: 'check' })).toEqual({ kind: 'account', id: '130' });
  });

  it('treats a payment without a method as `other`', () => {
    expect(resolvePaymentAccount([{ currency: '*', method: 'other', account: '140' }], { currency: 'USD', method: null })).toEqual({ kind: 'account', id: '140' });
  });

  it('refuses a payment no rule matches, with a resolution', () => {
    try {
      resolvePaymentAccount([{ currency: 'EUR', method: '*', account: '200' }], { currency: 'USD', method: 'ach' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MappingError);
      expect((error as MappingError).code).toBe('NO_PAYMENT_ACCOUNT');
      expect((error as MappingError).resolution).toMatch(/Add a payment account rule for USD \/ ach/);
    }
  });

  it('refuses to choose between two equally specific rules with different accounts', () => {
    expect(() => resolvePaymentAccount([{ currency: 'USD', method: '*', account: '1' }, { currency: 'usd', method: '*', account: '2' }], { currency: 'USD', method: 'ach' })).toThrow(
      expect.objectContaining({ code: 'AMBIGUOUS_PAYMENT_ACCOUNT' }) as Error,
    );
  });
});

describe('paymentAccountRulesSchema', () => {
  it('accepts well-formed rules', () => {
    expect(paymentAccountRulesSchema.safeParse(rules).success).toBe(true);
  });

  it('rejects a malformed currency and conflicting duplicates', () => {
    expect(paymentAccountRulesSchema.safeParse([{ currency: 'US', method: '*', account: '1' }]).success).toBe(false);
    expect(paymentAccountRulesSchema.safeParse([{ currency: 'USD', method: 'ach', account: '1' }, { currency: 'usd', method: 'ACH', account: '2' }]).success).toBe(false);
  });
});
