/**
 * Customers both ways. NetSuite -> Invoiced builds the create (or update) body of an Invoiced customer
 * with `metadata.netsuite_id`; Invoiced -> NetSuite builds the body of an upsert by external ID
 * `invd-cust-<id>`.
 */
import { currencyCodeFromNetSuite, netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { MappingError, withRecord } from './errors';
import { field, flag, text, type RecordLike } from './fields';
import { customerDisplayName, normalizeName } from './names';

/**
 * A NetSuite customer: a REST `customer` record or a SuiteQL `customer` row. Fields read: `id`,
 * `companyName`, `isPerson`, `firstName`, `lastName`, `entityId`, `email`, `phone`, `currency` (an ISO
 * code, an internal ID or a `{ id, refName }` reference); lower-case spellings too.
 */
export type NetSuiteCustomerSource = RecordLike;

/** The Invoiced customer body built from a NetSuite customer; fits the client's `customers.create`. */
export type InvoicedCustomerBody = {
  name: string;
  type: 'company' | 'person';
  number?: string;
  email?: string;
  phone?: string;
  /** Lower case, as Invoiced writes it. */
  currency?: string;
  metadata: { netsuite_id: string };
};

/** Options of {@link netsuiteCustomerToInvoiced}. */
export interface NetSuiteCustomerToInvoicedOptions {
  /** Resolves NetSuite currency IDs to ISO codes; not needed when the record carries the code. */
  currencies?: NetSuiteCurrencyMap | undefined;
}

/** The NetSuite internal ID of a record, required. @internal */
export function netsuiteIdOf(record: RecordLike, what: string): string {
  const id = text(field(record, 'id'));
  if (id === undefined) throw new MappingError('INVALID_RECORD', `A NetSuite ${what} without an internal ID cannot be synced.`, 'Read records with their id field.');
  return id;
}

/**
 * `entityId` is used as the Invoiced customer number when it looks like a customer number: no spaces
 * and not just the name again (with auto-numbering off, NetSuite fills it with the name).
 */
function customerNumber(entityId: string | undefined, name: string): string | undefined {
  if (entityId === undefined || /\s/.test(entityId)) return undefined;
  return normalizeName(entityId) === normalizeName(name) ? undefined : entityId;
}

/**
 * An Invoiced customer body from a NetSuite customer (REST record or SuiteQL row): `name` from
 * {@link customerDisplayName}, `type` person or company, `number` from `entityId` where it is a number
 * rather than the name, `email`, `phone`, `currency` in lower case, `metadata.netsuite_id`. Absent fields
 * are left out, so an update does not clear what was entered on Invoiced.
 * @throws {MappingError} `MISSING_NAME`, `INVALID_RECORD`, `UNKNOWN_CURRENCY`.
 * @example
 * netsuiteCustomerToInvoiced({ id: '42', entityid: 'CUST-42', companyname: 'Acme Corp', isperson: 'F', currency: 'USD' });
 * // { name: 'Acme Corp', type: 'company', number: 'CUST-42', currency: 'usd', metadata: { netsuite_id: '42' } }
 */
export function netsuiteCustomerToInvoiced(customer: NetSuiteCustomerSource, options: NetSuiteCustomerToInvoicedOptions = {}): InvoicedCustomerBody {
  const id = netsuiteIdOf(customer, 'customer');
  const name = customerDisplayName(customer);
  return withRecord('customer', name || id, () => {
    if (name === '') {
      throw new MappingError('MISSING_NAME', `NetSuite customer ${id} has no name.`, 'Give the customer a company name (or first and last name) in NetSuite, then retry it.');
    }
    const body: InvoicedCustomerBody = {
      name,
      type: flag(field(customer, 'isPerson')) === true ? 'person' : 'company',
      metadata: { netsuite_id: id },
    };
    const number = customerNumber(text(field(customer, 'entityId')), name);
    if (number !== undefined) body.number = number;
    const email = text(field(customer, 'email'));
    if (email !== undefined) body.email = email;
    const phone = text(field(customer, 'phone'));
    if (phone !== undefined) body.phone = phone;
    const currency = field(customer, 'currency');
    if (currency !== undefined) body.currency = currencyCodeFromNetSuite(currency, options.currencies).toLowerCase();
    return body;
  });
}

/** The fields of an Invoiced customer that are written to NetSuite; an `InvoicedCustomer` fits. */
export interface InvoicedCustomerSource {
  readonly id: number;
  readonly name: string;
  readonly number?: string | null | undefined;
  readonly type?: string | null | undefined;
  readonly email?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly currency?: string | null | undefined;
}

/** The NetSuite customer body built from an Invoiced customer; fits `records.upsert('customer', ...)`. */
export type NetSuiteCustomerBody = {
  externalId: string;
  isPerson: boolean;
  companyName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  subsidiary?: { id: string };
  currency?: { id: string };
};

/** Settings of {@link invoicedCustomerToNetSuite}. */
export interface InvoicedCustomerToNetSuiteSettings {
  /** Internal ID of the subsidiary new customers belong to; required by OneWorld accounts. */
  subsidiary?: string | undefined;
  /** ISO code -> NetSuite currency ID. Without it the currency is left to NetSuite's default. */
  currencies?: NetSuiteCurrencyMap | undefined;
}

/** The prefix of the external ID of each kind of Invoiced record written to NetSuite. @internal */
export const EXTERNAL_ID_PREFIX = { cust: 'invd-cust-', inv: 'invd-inv-', pay: 'invd-pay-', cn: 'invd-cn-', ref: 'invd-ref-' } as const;

/** The external ID of an Invoiced record written to NetSuite, e.g. `invd-cust-15444`. @internal */
export function externalIdFor(kind: keyof typeof EXTERNAL_ID_PREFIX, id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new MappingError('INVALID_RECORD', `${String(id)} is not an Invoiced ID.`, 'Invoiced IDs are positive integers; pass the record as Invoiced returned it.');
  }
  return `${EXTERNAL_ID_PREFIX[kind]}${id}`;
}

/**
 * The Invoiced ID in the external ID of a record written to NetSuite from Invoiced (`invd-cust-15444` is
 * customer 15444), or `undefined` for any other value. @internal
 */
export function invoicedIdOf(kind: keyof typeof EXTERNAL_ID_PREFIX, externalId: unknown): number | undefined {
  const prefix = EXTERNAL_ID_PREFIX[kind];
  if (typeof externalId !== 'string' || !externalId.startsWith(prefix)) return undefined;
  const digits = externalId.slice(prefix.length);
  const id = Number(digits);
  return /^[1-9][0-9]*$/.test(digits) && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * A NetSuite customer body from an Invoiced customer, for an upsert by `externalId: 'invd-cust-<id>'`.
 * A person's name is split at its last space (`Mary Ann Smith` -> `Mary Ann` + `Smith`); a person with a
 * one-word name is written as a company with that name, since NetSuite requires both names of a person
 * and inventing one would break matching by name.
 * @throws {MappingError} `MISSING_NAME`, `UNKNOWN_CURRENCY`, `INVALID_RECORD`.
 * @example
 * invoicedCustomerToNetSuite({ id: 15444, name: 'Acme Corp', type: 'company', currency: 'usd' }, { subsidiary: '1', currencies: { USD: '1' } });
 * // { externalId: 'invd-cust-15444', isPerson: false, companyName: 'Acme Corp', subsidiary: { id: '1' }, currency: { id: '1' } }
 */
export function invoicedCustomerToNetSuite(customer: InvoicedCustomerSource, settings: InvoicedCustomerToNetSuiteSettings = {}): NetSuiteCustomerBody {
  const name = typeof customer.name === 'string' ? customer.name.replace(/\s+/g, ' ').trim() : '';
  return withRecord('customer', text(customer.number) ?? name, () => {
    const externalId = externalIdFor('cust', customer.id);
    if (name === '') throw new MappingError('MISSING_NAME', `Invoiced customer ${customer.id} has no name.`, 'Give the customer a name on Invoiced, then retry it.');
    const split = name.lastIndexOf(' ');
    const body: NetSuiteCustomerBody =
      customer.type === 'person' && split > 0
        ? { externalId, isPerson: true, firstName: name.slice(0, split), lastName: name.slice(split + 1) }
        : { externalId, isPerson: false, companyName: name };
    const email = text(customer.email);
    if (email !== undefined) body.email = email;
    const phone = text(customer.phone);
    if (phone !== undefined) body.phone = phone;
    if (settings.subsidiary !== undefined) body.subsidiary = { id: settings.subsidiary };
    const currency = text(customer.currency);
    const ref = currency === undefined ? undefined : netsuiteCurrencyRef(currency, settings.currencies);
    if (ref !== undefined) body.currency = ref;
    return body;
  });
}
