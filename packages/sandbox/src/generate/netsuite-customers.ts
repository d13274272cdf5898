/**
 * NetSuite customers: names from the {@link NameBook} (the block slot decides the edge case), a currency
 * each, e-mail addresses and modification times up to a year before the window. External IDs
 * (`invd-cust-<id>`) are given later, to the customers written from Invoiced (see `netsuite-copies.ts`).
 */
import type { BookCustomer } from '../books';
import { DAY_MS, isoSeconds } from './calendar';
import { NameBook, customerName, slug } from './names';
import type { GenerationContext } from './options';

/** First NetSuite customer internal ID. */
export const CUSTOMER_ID_START = 1001;

/** NetSuite customers in internal ID order, and the index of each one's currency in the context's currencies. */
export interface CustomerLedger {
  records: BookCustomer[];
  currencyOf: Int32Array;
}

/** Generates the NetSuite customers (randomness forked as `customers`). */
export function generateCustomers(context: GenerationContext): CustomerLedger {
  const { root, customerCount, currencies, days, startMs, beforeNow } = context;
  const random = root.fork('customers');
  const names = new NameBook(random.fork('names'));
  // Drawn although no longer used (external IDs were one in ten), so that each seed keeps its customers.
  random.int(0, 9);
  const currencyOf = new Int32Array(customerCount);
  const customers: BookCustomer[] = new Array<BookCustomer>(customerCount);
  const currencyOffset = random.int(0, currencies.length - 1);
  for (let i = 0; i < customerCount; i += 1) {
    const name = customerName(i, names, random);
    // the first customers cover every currency; then the first currency is the most common
    const currency =
      i < currencies.length ? (i + currencyOffset) % currencies.length : random.chance(0.5) ? 0 : random.int(0, currencies.length - 1);
    currencyOf[i] = currency;
    const customer: BookCustomer = {
      id: String(CUSTOMER_ID_START + i),
      entityId: `CUST-${String(i + 1).padStart(5, '0')}`,
      isPerson: name.companyName === undefined,
      currency: currencies[currency]!,
      subsidiaryId: currency === 0 ? '1' : '2',
      lastModifiedDate: '',
    };
    if (name.companyName !== undefined) customer.companyName = name.companyName;
    else {
      customer.firstName = name.firstName!;
      customer.lastName = name.lastName!;
    }
    if (!random.chance(0.1)) {
      const local = customer.isPerson ? slug(`${name.firstName!} ${name.lastName!}`).replace(/-/g, '.') : 'billing';
      const domain = customer.isPerson ? 'example.com' : `${slug(name.companyName!) || 'company'}.example`;
      customer.email = `${local}+${i + 1}@${domain}`;
    }
    if (name.inactive) customer.isInactive = true;
    // created up to a year before the window; a third were edited during it
    const base = random.chance(0.3) ? startMs + random.int(0, days - 1) * DAY_MS : startMs - random.int(1, 365) * DAY_MS;
    customer.lastModifiedDate = isoSeconds(beforeNow(base + random.int(0, 86_399) * 1000));
    customers[i] = customer;
  }
  return { records: customers, currencyOf };
}
