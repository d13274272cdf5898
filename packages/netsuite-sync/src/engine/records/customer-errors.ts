/**
 * The errors of matching a customer by name, worded about the invoice whose customer is resolved or about
 * the customer itself: two matches are never a guess, and a match linked to another customer is refused.
 */
import { MappingError, type NameMatch } from '../../mapping/index';
import type { Side } from '../../store/sync-store';
import { isApiError } from '../../errors';

const sideName = (side: Side) => (side === 'netsuite' ? 'NetSuite' : 'Invoiced');
const label = (side: Side, id: string) => (side === 'invoiced' ? `#${id}` : id);

/** An invoice's customer matches several customers on the other side by name: never a guess. */
export function ambiguousCustomer(invoiceNumber: string, name: string, among: Side, match: { ids: readonly string[]; names: readonly string[] }): MappingError {
  const listed = match.ids.map((id, index) => `${label(among, id)} "${match.names[index] ?? ''}"`).join(', ');
  return new MappingError(
    'AMBIGUOUS_CUSTOMER',
    `Invoice ${invoiceNumber}: customer "${name}" matches ${match.ids.length} ${sideName(among)} customers (${listed}).`,
    among === 'invoiced'
      ? 'Customers are matched by name. Rename or merge the duplicates on Invoiced (or set metadata.netsuite_id on the right one), then retry the invoice.'
      : 'Customers are matched by name. Rename or merge the duplicates in NetSuite, then retry the invoice.',
    invoiceNumber,
  );
}

/** The customer matched by name is already linked to another customer of the invoice's side. */
export function customerAlreadyLinked(
  invoiceNumber: string,
  customer: { side: Side; id: string; name: string },
  matched: string,
  linkedTo: string,
): MappingError {
  const other: Side = customer.side === 'netsuite' ? 'invoiced' : 'netsuite';
  return new MappingError(
    'CUSTOMER_ALREADY_LINKED',
    `Invoice ${invoiceNumber}: ${sideName(customer.side)} customer "${customer.name}" (${label(customer.side, customer.id)}) matches ${sideName(other)} customer ${label(other, matched)} by name, which is already linked to ${sideName(customer.side)} customer ${label(customer.side, linkedTo)}.`,
    `Two ${sideName(customer.side)} customers have the same name. Rename or merge one of them${customer.side === 'netsuite' ? ' in NetSuite' : ' on Invoiced'}, then retry the invoice.`,
    invoiceNumber,
  );
}

/** How a failure to match a customer is worded: about the invoice being imported, or about the customer itself. */
export interface CustomerSubject {
  ambiguous(name: string, match: Extract<NameMatch, { kind: 'ambiguous' }>): MappingError;
  alreadyLinked(customer: { id: string; name: string }, matchedInvoicedId: string, linkedNetSuiteId: string): MappingError;
}

/** Failures worded about the invoice whose customer is resolved (phase `netsuite_invoices`, the invoice import). */
export function invoiceSubject(invoiceNumber: string): CustomerSubject {
  return {
    ambiguous: (name, match) => ambiguousCustomer(invoiceNumber, name, 'invoiced', match),
    alreadyLinked: (customer, matched, linkedTo) => customerAlreadyLinked(invoiceNumber, { side: 'netsuite', ...customer }, matched, linkedTo),
  };
}

/** Failures worded about a NetSuite customer of the A/R list (the customer import). */
export function customerSubject(): CustomerSubject {
  return {
    ambiguous: (name, match) =>
      new MappingError(
        'AMBIGUOUS_CUSTOMER',
        `Customer "${name}": matches ${match.ids.length} Invoiced customers (${match.ids.map((id, index) => `#${id} "${match.names[index] ?? ''}"`).join(', ')}).`,
        'Customers are matched by name. Rename or merge the duplicates on Invoiced (or set metadata.netsuite_id on the right one), then import the customers again.',
        name,
      ),
    alreadyLinked: (customer, matched, linkedTo) =>
      new MappingError(
        'CUSTOMER_ALREADY_LINKED',
        `Customer "${customer.name}": NetSuite customer ${customer.id} matches Invoiced customer #${matched} by name, which is already linked to NetSuite customer ${linkedTo}.`,
        'Two NetSuite customers have the same name. Rename or merge one of them in NetSuite, then import the customers again.',
        customer.name,
      ),
  };
}

/** Whether Invoiced refused a customer's number (the `number` parameter of an invalid request): taken. */
export function numberRefused(error: unknown): boolean {
  return isApiError(error) && error.api === 'invoiced' && error.kind === 'invalid_request' && (error as { param?: unknown }).param === 'number';
}
