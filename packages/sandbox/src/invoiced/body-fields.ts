/**
 * The top-level fields of a write body, screened as Invoiced's routes and models screen them before the
 * sandbox's own schemas read what is left. The payment routes check their body against the fields they
 * define (an unknown one refused, `param: request`); the customer routes only log what they do not define,
 * and the invoice and credit note routes check nothing, so an unknown field reaches the model, which
 * refuses the fields it protects from mass assignment and ignores those that are not its properties.
 * Fields Invoiced takes that the sandbox does not model are refused in the sandbox's own words rather than
 * dropped, so a test cannot pass on a field that did nothing.
 */
import { withFormMark } from './bodies';
import { invalidRequest } from './errors';

/** The collections with write bodies. */
export type BodyResource = 'customers' | 'invoices' | 'credit_notes' | 'payments';

interface BodySpec {
  /** The name Invoiced gives the model in its mass-assignment message. */
  readonly model: string;
  /** Fields the sandbox models (its schema reads them). */
  readonly modelled: readonly string[];
  /** Fields Invoiced takes (its route, its API reference, its model) that the sandbox does not model. */
  readonly notSimulated: readonly string[];
  /** Fields the model protects from mass assignment. */
  readonly blocked: readonly string[];
  /** Whether the route checks its body against the fields it defines (modelled and not simulated). */
  readonly checked: boolean;
}

const DOCUMENT_FIELDS = ['customer', 'name', 'number', 'currency', 'draft', 'closed', 'date', 'items', 'notes', 'discounts', 'taxes', 'metadata'];
/** Fields every receivable document takes that the sandbox does not model (flat `discount`/`tax`/`shipping`, attachments...). */
const DOCUMENT_NOT_SIMULATED = [
  'attachments', 'calculate_taxes', 'date_voided', 'discount', 'network_document', 'sent', 'shipping', 'tax', 'voided',
];

const SPECS: Readonly<Record<BodyResource, BodySpec>> = {
  customers: {
    model: 'Customer',
    modelled: [
      'name', 'number', 'email', 'type', 'payment_terms', 'currency', 'address1', 'address2', 'city', 'state', 'postal_code', 'country',
      'phone', 'attention_to', 'taxable', 'tax_id', 'credit_limit', 'autopay', 'notes', 'metadata',
    ],
    notSimulated: [
      'accounting_id', 'accounting_system', 'ach_gateway', 'active', 'autopay_delay_days', 'avalara_entity_use_code', 'avalara_exemption_number',
      'bill_to_parent', 'cc_gateway', 'chase', 'chasing_cadence', 'collection_mode', 'consolidated', 'convenience_fee', 'credit_hold',
      'default_source_id', 'default_source_type', 'disabled_payment_methods', 'language', 'late_fee_schedule', 'network_connection',
      'next_chase_step', 'owner', 'parent_customer', 'payment_source', 'sign_up_page', 'taxes',
    ],
    blocked: ['client_id', 'client_id_exp', 'credit_balance', 'object', 'statement_pdf_url', 'sign_up_url', 'created_at', 'updated_at'],
    checked: false,
  },
  invoices: {
    model: 'Invoice',
    modelled: [...DOCUMENT_FIELDS, 'due_date', 'payment_terms', 'purchase_order'],
    notSimulated: [
      ...DOCUMENT_NOT_SIMULATED, 'autopay', 'chase', 'collection_mode', 'consolidated', 'consolidated_invoice_id', 'disabled_payment_methods',
      'late_fees', 'needs_attention', 'next_chase_on', 'next_chase_step', 'next_payment_attempt', 'payment_plan', 'payment_source_id',
      'payment_source_type', 'ship_to', 'subscription', 'amount_written_off',
    ],
    blocked: [
      'subtotal', 'total', 'status', 'viewed', 'client_id', 'client_id_exp', 'date_paid', 'date_bad_debt', 'subscription_id', 'amount_paid',
      'amount_credited', 'paid', 'balance', 'last_sent', 'attempt_count', 'recalculate_chase', 'payment_plan_id', 'created_at', 'updated_at',
    ],
    checked: false,
  },
  credit_notes: {
    model: 'CreditNote',
    modelled: DOCUMENT_FIELDS,
    notSimulated: [...DOCUMENT_NOT_SIMULATED, 'consolidated_invoice_id', 'invoice', 'purchase_order', 'viewed'],
    blocked: ['subtotal', 'total', 'status', 'invoice_id', 'amount_applied_to_invoice', 'amount_refunded', 'amount_credited', 'paid', 'balance'],
    checked: false,
  },
  payments: {
    model: 'Payment',
    modelled: ['amount', 'applied_to', 'currency', 'customer', 'date', 'metadata', 'method', 'notes', 'reference', 'source'],
    notSimulated: ['accounting_id', 'accounting_system', 'ach_sender_id', 'attachments'],
    blocked: [],
    checked: true,
  },
};

const quoted = (names: readonly string[]) => `'${[...names].sort().join("', '")}'`;

/**
 * The body with the fields Invoiced would ignore taken out, or a 400 for a field it refuses (or the
 * sandbox cannot simulate). A body that is not an object is left for the schema to refuse.
 */
export function screenBody(resource: BodyResource, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const spec = SPECS[resource];
  const keys = Object.keys(body);
  if (spec.checked) {
    const defined = [...spec.modelled, ...spec.notSimulated];
    const unknown = keys.filter((key) => !defined.includes(key));
    if (unknown.length > 0) {
      const which = unknown.length === 1 ? `The option ${quoted(unknown)} does not exist.` : `The options ${quoted(unknown)} do not exist.`;
      throw invalidRequest(`${which} Defined options are: ${quoted(defined)}.`, 'request');
    }
  }
  const blocked = keys.find((key) => spec.blocked.includes(key));
  if (blocked !== undefined) throw invalidRequest(`Mass assignment of ${blocked} on ${spec.model} is not allowed`);
  const unmodelled = keys.find((key) => spec.notSimulated.includes(key));
  if (unmodelled !== undefined) {
    throw invalidRequest(`The sandbox does not simulate the field '${unmodelled}' (Invoiced accepts it).`, unmodelled);
  }
  return withFormMark(body, Object.fromEntries(Object.entries(body).filter(([key]) => spec.modelled.includes(key))));
}
