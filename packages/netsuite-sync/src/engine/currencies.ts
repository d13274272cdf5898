/**
 * The currency map of a run: ISO code -> NetSuite currency internal ID, for the records written to
 * NetSuite. `settings.currencies` is used as given while it names every currency a record needs; a code it
 * does not name is looked up in the account's own currency table (`SELECT id, symbol, isinactive FROM
 * currency`; `symbol` is the ISO code), read once per run and only when first needed. Given entries win
 * over the account's: a partial map is merged with the table, so a map of one currency still lets the
 * others through.
 */
import { MappingError } from '../mapping/index';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { NetSuiteReader, PhaseDeps, PhaseRun } from './contracts';
import { valueText } from './netsuite-queries';

/** Every currency of the account, active or not. */
export const CURRENCY_TABLE: SuiteQLQuery = sql`SELECT id, symbol, isinactive FROM currency`;

/** The account's currencies by ISO code (upper case). */
export interface AccountCurrencies {
  /** Active currencies: code -> internal ID. */
  readonly active: Readonly<Record<string, string>>;
  /** Codes of currencies that are inactive in NetSuite (a transaction cannot use them). */
  readonly inactive: ReadonlySet<string>;
  /** Every currency by internal ID: its code and whether it is inactive. */
  readonly byId: ReadonlyMap<string, { readonly code: string; readonly inactive: boolean }>;
}

const tables = new WeakMap<PhaseRun, Promise<AccountCurrencies>>();

/** Reads the account's currency table (one SuiteQL request for up to 1000 currencies). */
export async function readAccountCurrencies(netsuite: NetSuiteReader, signal: AbortSignal | undefined): Promise<AccountCurrencies> {
  const active: Record<string, string> = {};
  const inactive = new Set<string>();
  const byId = new Map<string, { code: string; inactive: boolean }>();
  for await (const row of netsuite.suiteqlAll(CURRENCY_TABLE, { signal })) {
    const code = valueText(row.symbol).trim().toUpperCase();
    const id = valueText(row.id);
    if (!/^[A-Z]{3}$/.test(code) || id === '') continue;
    byId.set(id, { code, inactive: valueText(row.isinactive) === 'T' });
    if (valueText(row.isinactive) === 'T') inactive.add(code);
    else active[code] = id;
  }
  for (const code of Object.keys(active)) inactive.delete(code);
  return { active, inactive, byId };
}

function accountCurrenciesOf(context: PhaseRun, deps: PhaseDeps): Promise<AccountCurrencies> {
  let table = tables.get(context);
  if (table === undefined) {
    table = readAccountCurrencies(deps.netsuite, context.signal);
    tables.set(context, table);
    // A failed read is not kept: the next record asks again.
    table.catch(() => tables.delete(context));
  }
  return table;
}

/** `settings.currencies` with upper-case keys. */
function givenMap(deps: PhaseDeps): Record<string, string> {
  return Object.fromEntries(Object.entries(deps.settings.currencies ?? {}).map(([code, id]) => [code.trim().toUpperCase(), id]));
}

/** The code of a currency the account cannot take, as a record error. */
export function unmappedCurrency(code: string, inactive: boolean): MappingError {
  return new MappingError(
    'UNKNOWN_CURRENCY',
    inactive
      ? `Currency ${code} is inactive in NetSuite, and settings.currencies does not map it.`
      : `NetSuite has no currency ${code} (no currency record whose symbol is ${code}), and settings.currencies does not map it.`,
    inactive
      ? `Make currency ${code} active in NetSuite (Lists > Accounting > Currencies), or map ${code} to another currency's internal ID in settings.currencies, then retry.`
      : `Add currency ${code} in NetSuite (Lists > Accounting > Currencies, with Multiple Currencies enabled), or map ${code} to a currency's internal ID in settings.currencies, then retry.`,
  );
}

/**
 * The currency map for records in these currencies (ISO codes, any case; empty values are ignored):
 * the given map when it names them all, else the given map over the account's active currencies.
 * @throws {MappingError} `UNKNOWN_CURRENCY` when a code is in neither (the record fails, not the run).
 */
export async function currencyMapFor(context: PhaseRun, deps: PhaseDeps, codes: readonly (string | null | undefined)[]): Promise<Readonly<Record<string, string>>> {
  const given = givenMap(deps);
  const needed = [...new Set(codes.map((code) => (code ?? '').trim().toUpperCase()).filter((code) => code !== ''))];
  if (needed.every((code) => given[code] !== undefined)) return given;
  const account = await accountCurrenciesOf(context, deps);
  const merged = { ...account.active, ...given };
  for (const code of needed) if (merged[code] === undefined) throw unmappedCurrency(code, account.inactive.has(code));
  return merged;
}
