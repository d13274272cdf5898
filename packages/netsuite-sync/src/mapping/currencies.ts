/**
 * Currencies across the two services. Invoiced names a currency by its ISO code in lower case (`"usd"`);
 * NetSuite by the internal ID of a currency record (`{ id: '1', refName: 'US Dollar' }`), whose `symbol`
 * is the ISO code. A SuiteQL query can return the code directly (`cur.symbol AS currency`).
 */
import { MappingError } from './errors';
import { normalizeCurrencyCode, preview } from './money';

/**
 * ISO code -> NetSuite currency internal ID, e.g. `{ USD: '1', EUR: '4' }`. Build it once per run from
 * `SELECT id, symbol FROM currency`. Keys are case-insensitive.
 */
export type NetSuiteCurrencyMap = Readonly<Record<string, string>>;

const MAP_RESOLUTION =
  'Pass the currency map (ISO code -> NetSuite currency internal ID, from SELECT id, symbol FROM currency) and make sure it lists this currency.';

/**
 * The ISO code (upper case) of a NetSuite currency value: a code (`'USD'`, from `cur.symbol` in SuiteQL),
 * an internal ID (`'1'` or `1`, a SuiteQL `currency` column) or a REST reference (`{ id: '1', refName }`).
 * IDs are looked up in `currencies`; a reference whose `refName` is itself a code is taken as that code.
 * @throws {MappingError} `UNKNOWN_CURRENCY` when the value cannot be resolved (never a guess).
 * @example
 * currencyCodeFromNetSuite('usd') === 'USD';
 * currencyCodeFromNetSuite({ id: '4', refName: 'Euro' }, { EUR: '4' }) === 'EUR';
 */
export function currencyCodeFromNetSuite(value: unknown, currencies?: NetSuiteCurrencyMap): string {
  if (typeof value === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(value)) return normalizeCurrencyCode(value);
  let id: string | undefined;
  let refName: string | undefined;
  if (typeof value === 'string' || typeof value === 'number') {
    id = String(value).trim();
  } else if (typeof value === 'object' && value !== null) {
    const ref = value as { id?: unknown; refName?: unknown };
    id = typeof ref.id === 'string' || typeof ref.id === 'number' ? String(ref.id) : undefined;
    refName = typeof ref.refName === 'string' ? ref.refName : undefined;
  }
  if (id !== undefined && id !== '' && currencies !== undefined) {
    const codes = Object.entries(currencies)
      .filter(([, netsuiteId]) => String(netsuiteId) === id)
      .map(([code]) => normalizeCurrencyCode(code));
    const unique = [...new Set(codes)];
    if (unique.length === 1 && unique[0] !== undefined) return unique[0];
    if (unique.length > 1) {
      throw new MappingError('UNKNOWN_CURRENCY', `NetSuite currency ${id} is mapped to ${unique.join(' and ')}.`, 'Give each NetSuite currency one ISO code in the currency map.');
    }
  }
  if (refName !== undefined && /^\s*[A-Za-z]{3}\s*$/.test(refName)) return normalizeCurrencyCode(refName);
  const shown = refName ?? id ?? preview(value);
  throw new MappingError('UNKNOWN_CURRENCY', `NetSuite currency "${shown}" has no known ISO code.`, MAP_RESOLUTION);
}

/**
 * The NetSuite reference of an ISO currency code, or `undefined` when no map is given (single-currency
 * accounts: NetSuite then uses the customer's currency).
 * @throws {MappingError} `UNKNOWN_CURRENCY` when a map is given but lacks the code.
 * @example netsuiteCurrencyRef('eur', { EUR: '4' }) // { id: '4' }
 */
export function netsuiteCurrencyRef(code: string, currencies: NetSuiteCurrencyMap | undefined): { id: string } | undefined {
  const upper = normalizeCurrencyCode(code);
  if (currencies === undefined) return undefined;
  for (const [key, id] of Object.entries(currencies)) {
    if (key.trim().toUpperCase() === upper) return { id: String(id) };
  }
  throw new MappingError('UNKNOWN_CURRENCY', `Currency ${upper} is not in the NetSuite currency map.`, MAP_RESOLUTION);
}
