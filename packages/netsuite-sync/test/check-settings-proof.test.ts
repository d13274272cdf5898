/**
 * The connection check proves the sync settings against the account (the sandbox): right settings pass;
 * each wrong one is a problem with its code and fix, and makes the result not ok. No settings at all is
 * not "everything in place": a sync would fail its invoices for want of a default item.
 */
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionCheckResult } from '../src/index';
import { checkWorld } from './support/check-world';

let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

function world() {
  const w = checkWorld();
  server = w.server;
  const queries: string[] = [];
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname.endsWith('/suiteql')) void request.clone().text().then((body) => queries.push(body));
  });
  server.listen({ onUnhandledFrame: 'error' });
  return { ...w, queries };
}

const codes = (result: ConnectionCheckResult) => result.problems.map((problem) => `${problem.check}:${problem.code}`);
const checkOf = (result: ConnectionCheckResult, name: string) => result.checks.find((check) => check.name === name);

describe('checkConnection proves the settings against the account', () => {
  it('passes right settings, with one SuiteQL read per proof', async () => {
    const w = world();
    const result = await w.check(w.good);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    for (const name of ['items', 'currencies', 'subsidiary', 'payment accounts', 'time zone', 'write permissions']) expect(checkOf(result, name)?.ok).toBe(true);
    expect(checkOf(result, 'currencies')?.detail).toMatch(/USD.* map through the account's currency table/);
    expect(checkOf(result, 'time zone')?.detail).toMatch(/UTC[+-]\d\d:\d\d/);
    expect(checkOf(result, 'write permissions')?.detail).toContain('Not provable without writing');
    for (const table of ['FROM item', 'FROM currency', 'FROM subsidiary', 'FROM account']) expect(w.queries.filter((query) => query.includes(table))).toHaveLength(1);
  });

  it('fails with no settings at all: no default item, so invoices written to NetSuite would fail', async () => {
    const w = world();
    const result = await w.check({});
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('items:DEFAULT_ITEM_REQUIRED');
    // Currencies need no setting: the account's table maps them.
    expect(checkOf(result, 'currencies')?.ok).toBe(true);
  });

  it('reports an item that does not exist, one that is inactive, and items of the wrong type', async () => {
    const w = world();
    w.sandbox.netsuite.state.setInactive('item', w.item('discount'), true);
    const result = await w.check({
      ...w.good,
      items: { defaultItem: w.item('tax'), taxItem: w.item('service'), discountItem: w.item('discount'), catalogItems: { widget: '98765' } },
    });
    expect(result.ok).toBe(false);
    expect(codes(result).toSorted()).toEqual(['items:ITEM_INACTIVE', 'items:ITEM_NOT_FOUND', 'items:ITEM_NOT_SALEABLE', 'items:ITEM_NOT_SALEABLE']);
    const notFound = result.problems.find((problem) => problem.code === 'ITEM_NOT_FOUND');
    expect(notFound?.message).toContain('items.catalogItems.widget is 98765');
    expect(result.problems.find((problem) => problem.message.startsWith('items.defaultItem'))?.message).toContain('type TaxItem');
  });

  it('reports a currency map entry of another currency, of no currency, and a currency met that is inactive', async () => {
    const w = world();
    const usd = w.sandbox.netsuite.state.query("SELECT id FROM currency WHERE symbol = 'USD'")[0]?.id ?? '';
    const mismatch = await w.check({ ...w.good, currencies: { EUR: usd } });
    expect(codes(mismatch)).toEqual(['currencies:CURRENCY_MAP_MISMATCH']);
    expect(mismatch.problems[0]?.message).toContain(`maps EUR to ${usd}, which is NetSuite's USD`);

    const missing = await w.check({ ...w.good, currencies: { USD: '777' } });
    expect(codes(missing)).toEqual(['currencies:UNKNOWN_CURRENCY']);

    w.sandbox.netsuite.state.setInactive('currency', usd, true);
    const inactive = await w.check(w.good);
    expect(inactive.ok).toBe(false);
    expect(inactive.problems.find((problem) => problem.check === 'currencies')?.message).toMatch(/^USD, the currency of .*, is inactive in NetSuite/);
  });

  it('reports a subsidiary that does not exist or is inactive', async () => {
    const w = world();
    expect(codes(await w.check({ ...w.good, subsidiary: '4242' }))).toEqual(['subsidiary:SUBSIDIARY_NOT_FOUND']);
    w.sandbox.netsuite.state.setInactive('subsidiary', w.good.subsidiary ?? '', true);
    expect(codes(await w.check(w.good))).toEqual(['subsidiary:SUBSIDIARY_INACTIVE']);
  });

  it('reports deposit accounts that do not exist or are inactive, and skips them when payments are not written', async () => {
    const w = world();
    const rules = [
      { currency: '*', method: '*', account: 'undeposited' },
      { currency: 'USD', method: 'ach', account: '5151' },
    ];
    expect(codes(await w.check({ ...w.good, paymentAccounts: rules }))).toEqual(['payment accounts:PAYMENT_ACCOUNT_NOT_FOUND']);
    w.sandbox.netsuite.state.setInactive('account', w.account('bank'), true);
    expect(codes(await w.check(w.good))).toEqual(['payment accounts:PAYMENT_ACCOUNT_INACTIVE']);
    const off = await w.check({ ...w.good, phases: { writeInvoicedPayments: false } });
    expect(off.ok).toBe(true);
    expect(checkOf(off, 'payment accounts')?.detail).toContain('Not checked');
  });

  it('proves the refund account: a bank account passes; a missing, inactive or non-bank one is reported; unset, it says what refunds will do', async () => {
    const w = world();
    const bank = w.account('bank');
    const passed = await w.check({ ...w.good, refundAccount: bank });
    expect(passed.problems).toEqual([]);
    expect(checkOf(passed, 'refund account')?.detail).toContain(`account ${bank}`);
    expect(codes(await w.check({ ...w.good, refundAccount: '5151' }))).toEqual(['refund account:REFUND_ACCOUNT_NOT_FOUND']);
    expect(codes(await w.check({ ...w.good, refundAccount: w.account('undeposited') }))).toEqual(['refund account:REFUND_ACCOUNT_UNSUITABLE']);
    expect(checkOf(await w.check(w.good), 'refund account')?.detail).toContain('REFUND_ACCOUNT_REQUIRED');
    w.sandbox.netsuite.state.setInactive('account', bank, true);
    expect(codes(await w.check({ ...w.good, refundAccount: bank, paymentAccounts: [{ currency: '*', method: '*', account: 'undeposited' }] }))).toEqual(['refund account:REFUND_ACCOUNT_INACTIVE']);
  });

  it('names the time zone without asking NetSuite when netsuiteTimeZone is set', async () => {
    const w = world();
    const result = await w.check({ ...w.good, netsuiteTimeZone: 'America/Los_Angeles' });
    expect(result.ok).toBe(true);
    expect(checkOf(result, 'time zone')?.detail).toBe('settings.netsuiteTimeZone is America/Los_Angeles.');
    expect(w.queries.some((query) => query.includes('SYSDATE'))).toBe(false);
  });

  it('reports a role that cannot read items as the permission to add', async () => {
    const w = world();
    server?.use(
      http.post(`${w.sandbox.netsuite.baseUrl}/services/rest/query/v1/suiteql`, async ({ request }) => {
        const body = (await request.clone().json()) as { q?: string };
        if (!/\bFROM\s+item\b/i.test(body.q ?? '')) return undefined;
        return HttpResponse.json(
          { type: 'about:blank', title: 'Bad Request', status: 400, 'o:errorDetails': [{ detail: "Invalid search query. Search error occurred: Record 'item' was not found.", 'o:errorCode': 'INVALID_PARAMETER' }] },
          { status: 400, headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error' } },
        );
      }),
    );
    const result = await w.check(w.good);
    expect(codes(result)).toEqual(['items:INVALID_PARAMETER']);
    expect(result.problems[0]?.resolution).toContain('Lists > Items');
  });

  it('reports the newest Invoiced invoices with taxes or discounts when no tax or discount item is set', async () => {
    const w = world();
    const [customer] = w.sandbox.invoiced.state.list('customers');
    const lines = [{ name: 'Consulting', quantity: 1, unit_cost: 100 }];
    w.sandbox.invoiced.state.insert('invoices', { customer: customer?.id, currency: 'usd', items: lines, taxes: [{ amount: 5 }], draft: false });
    w.sandbox.invoiced.state.insert('invoices', { customer: customer?.id, currency: 'usd', items: lines, discounts: [{ amount: 10 }], draft: false });
    const result = await w.check({ ...w.good, items: { defaultItem: w.good.items.defaultItem } });
    expect(codes(result)).toEqual(expect.arrayContaining(['items:TAX_ITEM_REQUIRED', 'items:DISCOUNT_ITEM_REQUIRED']));
    expect((await w.check(w.good)).ok).toBe(true);
  });
});
