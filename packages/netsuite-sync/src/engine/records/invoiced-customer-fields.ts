/**
 * The fields of an Invoiced customer that the mapping of a NetSuite customer writes, as the customer
 * import compares them: a customer that already has them all is not written again.
 */
import type { InvoicedCustomerBody } from '../../mapping/index';
import type { CreatedInvoicedCustomer } from '../contracts';
import { valueText } from '../netsuite-queries';

/** The fields of an Invoiced customer that a NetSuite customer's mapping writes. */
export type MappedFields = Pick<CreatedInvoicedCustomer, 'name' | 'number' | 'type' | 'email' | 'phone' | 'currency'> & { netsuiteId: string | undefined };

export function mappedFields(customer: CreatedInvoicedCustomer): MappedFields {
  const netsuiteId = customer.metadata.netsuite_id;
  return {
    name: customer.name,
    number: customer.number,
    type: customer.type ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    currency: customer.currency ?? null,
    netsuiteId: netsuiteId === undefined || netsuiteId === null ? undefined : valueText(netsuiteId),
  };
}

/** Whether an Invoiced customer already has every field a mapped body would write (absent fields are not written). */
export function hasFields(existing: MappedFields, body: InvoicedCustomerBody): boolean {
  return (
    existing.name === body.name &&
    existing.type === body.type &&
    (body.number === undefined || existing.number === body.number) &&
    (body.email === undefined || existing.email === body.email) &&
    (body.phone === undefined || existing.phone === body.phone) &&
    (body.currency === undefined || existing.currency?.toLowerCase() === body.currency) &&
    existing.netsuiteId === body.metadata.netsuite_id
  );
}
