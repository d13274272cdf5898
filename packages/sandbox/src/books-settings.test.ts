import { describe, expect, it } from 'vitest';
import { currencyIdsOf, settingsForBooks } from './books-settings';
import { generateBooks } from './generate';
import { createSandbox } from './sandbox';

describe('settingsForBooks', () => {
  it("names the books' service item, first subsidiary and currencies with the IDs the simulator loads", () => {
    const books = generateBooks({ seed: 5, customers: 3, invoices: 4, payments: 0, creditMemos: 0 });
    const sandbox = createSandbox({ seed: 5 });
    sandbox.load(books);
    const settings = settingsForBooks(books);
    const loaded = sandbox.netsuite.state.query('SELECT id, symbol FROM currency');
    expect(Object.entries(settings.currencies).sort()).toEqual(loaded.map((row) => [String(row.symbol), String(row.id)]).sort());
    expect(settings.items?.defaultItem).toBe(books.netsuite.items.find((item) => item.kind === 'service')?.id);
    expect(settings.subsidiary).toBe(books.netsuite.subsidiaries[0]?.id);
  });

  it('keys currencies by upper-case ISO code, counted from 1 in the order of the books', () => {
    expect([...currencyIdsOf({ currencies: ['usd', 'EUR'] })]).toEqual([
      ['USD', '1'],
      ['EUR', '2'],
    ]);
  });
});
