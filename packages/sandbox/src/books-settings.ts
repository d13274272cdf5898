/**
 * What the books tell a sync that runs against them: the NetSuite internal ID of each of their currencies
 * (as the simulator loads them) and the settings that fit them. One place for both, so the loader, the
 * demo, the bench and the tests cannot disagree.
 */
import type { Books, NetSuiteBooks } from './books';

/** The settings a sync needs for generated books, in the shape of the SDK's `SyncSettingsInput`. */
export type BooksSettings = {
  /** The books' service item, for every Invoiced line (when the books have one). */
  items?: { defaultItem: string };
  /** The books' first subsidiary, for customers created in NetSuite (when the books have one). */
  subsidiary?: string;
  /** ISO code (upper case) -> NetSuite currency internal ID. */
  currencies: Record<string, string>;
};

/**
 * The NetSuite internal ID of each currency of the books, by ISO code in upper case: its position in
 * `books.currencies`, counted from 1, which is how the simulator loads them.
 * @example currencyIdsOf({ currencies: ['USD', 'EUR'] }) // Map { 'USD' => '1', 'EUR' => '2' }
 */
export function currencyIdsOf(books: Pick<NetSuiteBooks, 'currencies'>): Map<string, string> {
  return new Map(books.currencies.map((code, index) => [code.toUpperCase(), String(index + 1)]));
}

/**
 * The settings that fit generated books: their service item as the default item, their first subsidiary,
 * and their currencies' IDs.
 * @example const settings = settingsForBooks(generateBooks({ seed: 7 })); // { items: { defaultItem: '1' }, subsidiary: '1', currencies: { USD: '1', ... } }
 */
export function settingsForBooks(books: Books): BooksSettings {
  const item = books.netsuite.items.find((candidate) => candidate.kind === 'service');
  const subsidiary = books.netsuite.subsidiaries[0];
  return {
    ...(item === undefined ? {} : { items: { defaultItem: item.id } }),
    ...(subsidiary === undefined ? {} : { subsidiary: subsidiary.id }),
    currencies: Object.fromEntries(currencyIdsOf(books.netsuite)),
  };
}
