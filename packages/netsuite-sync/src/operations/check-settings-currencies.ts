/**
 * The connection check's proof of the currency map: each entry of `settings.currencies` names an active
 * NetSuite currency of its own ISO code, and every currency the sync will meet resolves as the engine
 * resolves it (the given map over the account's active currencies, `engine/currencies.ts`). The
 * currencies met: those of the sampled Invoiced customers and non-draft invoices (flow 3 writes them),
 * and those of NetSuite's open invoices (flow 4 writes their payments), read with one SuiteQL.
 */
import type { AccountCurrencies } from '../engine/currencies';
import { valueText } from '../engine/netsuite-queries';
import type { SyncSettings } from '../engine/settings';
import type { NetSuiteClient } from '../netsuite/client';
import { sql } from '../netsuite/sql';
import type { InvoicedSample, ProblemFacts, ProofOutcome } from './check-types';

const WHERE = 'Lists > Accounting > Currencies';

/** The distinct currencies (internal IDs) of NetSuite's open invoices. */
async function openInvoiceCurrencies(netsuite: NetSuiteClient, signal: AbortSignal | undefined): Promise<string[]> {
  const query = sql`SELECT DISTINCT currency FROM transaction WHERE type = 'CustInvc' AND foreignamountunpaid > 0`;
  const page = await netsuite.suiteql(query, { limit: 1000, ...(signal === undefined ? {} : { signal }) });
  return page.items.map((row) => valueText(row.currency)).filter((id) => id !== '');
}

export async function checkCurrencies(
  netsuite: NetSuiteClient,
  settings: SyncSettings,
  sample: InvoicedSample,
  table: () => Promise<AccountCurrencies>,
  signal: AbortSignal | undefined,
): Promise<ProofOutcome> {
  const [account, openIds] = await Promise.all([table(), settings.phases.writeInvoicedPayments ? openInvoiceCurrencies(netsuite, signal) : Promise.resolve([])]);
  const given = Object.fromEntries(Object.entries(settings.currencies ?? {}).map(([code, id]) => [code.toUpperCase(), id]));
  const problems: ProblemFacts[] = [];
  for (const [code, id] of Object.entries(given)) {
    const currency = account.byId.get(id);
    if (currency === undefined) {
      problems.push({ code: 'UNKNOWN_CURRENCY', message: `settings.currencies maps ${code} to ${id}, but NetSuite has no currency with that internal ID.`, resolution: `Map ${code} to the internal ID NetSuite shows for it (${WHERE}), or leave ${code} out: the account's own currency of that code is then used.` });
    } else if (currency.code !== code) {
      problems.push({ code: 'CURRENCY_MAP_MISMATCH', message: `settings.currencies maps ${code} to ${id}, which is NetSuite's ${currency.code}: ${code} amounts would be written as ${currency.code}.`, resolution: `Map ${code} to the internal ID of NetSuite's ${code} (${WHERE}), or leave ${code} out: the account's own currency of that code is then used.` });
    } else if (currency.inactive) {
      problems.push({ code: 'UNKNOWN_CURRENCY', message: `settings.currencies maps ${code} to ${id}, which is inactive in NetSuite.`, resolution: `Make the currency active again (${WHERE}), or map ${code} to an active currency.` });
    }
  }
  const merged: Record<string, string> = { ...account.active, ...given };
  const met = new Map<string, string>();
  for (const code of sample.currencies) met.set(code, `the newest Invoiced customers and invoices`);
  for (const id of openIds) {
    const currency = account.byId.get(id);
    if (currency === undefined) continue;
    met.set(currency.code, 'open NetSuite invoices');
  }
  for (const [code, where] of met) {
    if (merged[code] !== undefined) continue;
    problems.push({
      code: 'UNKNOWN_CURRENCY',
      message: account.inactive.has(code)
        ? `${code}, the currency of ${where}, is inactive in NetSuite and not in settings.currencies: records in it cannot be written.`
        : `${code}, the currency of ${where}, is not a NetSuite currency and not in settings.currencies: records in it cannot be written.`,
      resolution: account.inactive.has(code)
        ? `Make ${code} active in NetSuite (${WHERE}), or map ${code} to a currency's internal ID in settings.currencies.`
        : `Add ${code} in NetSuite (${WHERE}, with Multiple Currencies enabled), or map ${code} to a currency's internal ID in settings.currencies.`,
    });
  }
  const codes = [...met.keys()].sort();
  const source = Object.keys(given).length === 0 ? "the account's currency table" : "settings.currencies over the account's currency table";
  return { detail: codes.length === 0 ? `No currency met yet; ${source} maps ${Object.keys(merged).length}.` : `${codes.join(', ')} map through ${source}.`, problems };
}
