import { describe, expect, it } from 'vitest';
import { CUSTOMER_ID_START, TRANSACTION_ID_START } from './index';
import { invoiceById, ns } from './test-support';

describe('generateBooks: references and identifiers', () => {
  const customersById = new Map(ns.customers.map((customer) => [customer.id, customer]));

  it('refers only to records that exist', () => {
    const itemIds = new Set(ns.items.map((item) => item.id));
    const subsidiaryIds = new Set(ns.subsidiaries.map((subsidiary) => subsidiary.id));
    for (const customer of ns.customers) {
      expect(subsidiaryIds).toContain(customer.subsidiaryId);
      expect(ns.currencies).toContain(customer.currency);
    }
    for (const record of [...ns.invoices, ...ns.creditMemos]) {
      expect(customersById.has(record.customerId)).toBe(true);
      for (const line of record.lines) expect(itemIds).toContain(line.itemId);
    }
    for (const record of [...ns.payments, ...ns.creditMemos]) {
      expect(customersById.has(record.customerId)).toBe(true);
      for (const application of record.applications) expect(invoiceById.has(application.invoiceId)).toBe(true);
    }
    expect(ns.items.filter((item) => item.kind === 'tax')).toHaveLength(1);
    expect(ns.items.filter((item) => item.kind === 'discount')).toHaveLength(1);
    expect(ns.items.filter((item) => item.kind === 'service').length).toBeGreaterThanOrEqual(3);
  });

  it('deposits payments to a bank account of their currency, or to undeposited funds', () => {
    const accounts = new Map(ns.accounts.map((account) => [account.id, account]));
    for (const payment of ns.payments) {
      if (payment.undepFunds) expect(payment.accountId).toBeUndefined();
      else {
        const account = accounts.get(payment.accountId!);
        expect(account?.kind).toBe('bank');
        expect(account?.name).toContain(payment.currency);
      }
    }
  });

  it("keeps a customer's currency on all its transactions and applies only to the same customer's invoices", () => {
    for (const record of [...ns.invoices, ...ns.payments, ...ns.creditMemos]) {
      expect(record.currency).toBe(customersById.get(record.customerId)!.currency);
    }
    for (const record of [...ns.payments, ...ns.creditMemos]) {
      for (const application of record.applications) {
        const invoice = invoiceById.get(application.invoiceId)!;
        expect(invoice.currency).toBe(record.currency);
        expect(invoice.customerId).toBe(record.customerId);
        expect(record.tranDate >= invoice.tranDate).toBe(true);
      }
    }
  });

  it('uses unique numeric internal IDs, transactions sharing one sequence in date order', () => {
    const customerIds = ns.customers.map((customer) => customer.id);
    expect(new Set(customerIds).size).toBe(customerIds.length);
    expect(customerIds[0]).toBe(String(CUSTOMER_ID_START));
    const transactions = [...ns.invoices, ...ns.payments, ...ns.creditMemos];
    const ids = transactions.map((record) => record.id);
    for (const id of [...customerIds, ...ids]) expect(id).toMatch(/^[1-9]\d*$/);
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...transactions].sort((a, b) => Number(a.id) - Number(b.id));
    expect(sorted[0]!.id).toBe(String(TRANSACTION_ID_START));
    expect(Number(sorted.at(-1)!.id)).toBe(TRANSACTION_ID_START + transactions.length - 1);
    for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]!.tranDate >= sorted[index - 1]!.tranDate).toBe(true);
  });

  it('uses unique tranIds and externalIds', () => {
    const unique = (values: readonly string[]) => expect(new Set(values).size).toBe(values.length);
    unique(ns.invoices.map((invoice) => invoice.tranId));
    unique(ns.payments.map((payment) => payment.tranId));
    unique(ns.creditMemos.map((memo) => memo.tranId));
    unique(ns.customers.map((customer) => customer.entityId));
    // copies of Invoiced invoices keep their Invoiced number; NetSuite numbers the others without gaps
    for (const invoice of ns.invoices) expect(invoice.tranId).toMatch(invoice.externalId === undefined ? /^INV-\d{5,}$/ : /^IVD-\d{4,}$/);
    const numbered = ns.invoices.filter((invoice) => invoice.externalId === undefined).map((invoice) => invoice.tranId);
    expect(numbered).toEqual(numbered.map((_, index) => `INV-${10001 + index}`));
    for (const family of [ns.customers, ns.invoices, ns.payments, ns.creditMemos]) {
      const externalIds = family.flatMap((record) => (record.externalId === undefined ? [] : [record.externalId]));
      expect(externalIds.length).toBeGreaterThan(0);
      unique(externalIds);
      for (const externalId of externalIds) expect(externalId).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });
});
