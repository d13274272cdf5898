/**
 * What each list route of the simulated Invoiced accepts, from Invoiced's own list routes: the filterable
 * fields, the options (customers and payments check theirs; invoices and credit notes check none and
 * ignore what they do not read), the legacy date bounds, and the sortable fields (Invoiced's object
 * configuration, split into the fields the sandbox models and those it does not).
 */
import type { ListSpec } from './listing';
import type { InvoicedResourceName } from './records';

/** The options every list route defines (its base options). */
const BASE_OPTIONS = ['advanced_filter', 'exclude', 'expand', 'filter', 'include', 'page', 'paginate', 'per_page', 'sort'];
const UPDATED_OPTIONS = ['updated_after', 'updated_before'];

/** Fields of Invoiced's object configuration that the sandbox's records do not carry. */
const NOT_MODELLED = {
  customers: [
    'active', 'autopay_delay_days', 'avalara_entity_use_code', 'avalara_exemption_number', 'balance', 'bank_account', 'bill_to_parent',
    'card', 'chase', 'chasing_cadence', 'collection_notes', 'company', 'consolidated', 'convenience_fee', 'credit_balance', 'credit_hold',
    'credit_notes', 'default_source_type', 'email_threads', 'estimates', 'invoices', 'language', 'late_fee_schedule', 'metadata',
    'network_connection', 'next_chase_step', 'owner', 'parent_customer', 'surcharging', 'taxes',
  ],
  invoices: [
    'amount_credited', 'amount_paid', 'amount_written_off', 'attempt_count', 'autopay', 'bank_account', 'card', 'collection_notes',
    'company', 'consolidated', 'date_bad_debt', 'date_paid', 'date_voided', 'late_fees', 'metadata', 'needs_attention',
    'next_payment_attempt', 'payment_plan', 'promise_to_pay', 'sent', 'ship_to', 'subscription', 'viewed', 'voided',
  ],
  credit_notes: ['amount_applied_to_invoice', 'amount_credited', 'company', 'date_voided', 'metadata', 'purchase_order', 'sent', 'viewed', 'voided'],
  payments: ['ach_sender_id', 'applied', 'charge', 'company', 'date_voided', 'matched'],
} as const;

/** Fields of Invoiced's object configuration that the sandbox's records carry. */
const MODELLED = {
  customers: [
    'attention_to', 'autopay', 'city', 'country', 'created_at', 'credit_limit', 'currency', 'email', 'id', 'name', 'notes', 'number',
    'payment_terms', 'phone', 'postal_code', 'state', 'tax_id', 'taxable', 'type', 'updated_at',
  ],
  invoices: [
    'balance', 'closed', 'created_at', 'currency', 'customer', 'date', 'draft', 'due_date', 'id', 'name', 'notes', 'number', 'paid',
    'payment_terms', 'purchase_order', 'status', 'subtotal', 'total', 'updated_at',
  ],
  credit_notes: [
    'balance', 'closed', 'created_at', 'currency', 'customer', 'date', 'draft', 'id', 'name', 'notes', 'number', 'paid', 'status',
    'subtotal', 'total', 'updated_at',
  ],
  payments: [
    'amount', 'balance', 'created_at', 'currency', 'customer', 'date', 'id', 'method', 'notes', 'reference', 'source', 'updated_at', 'voided',
  ],
} as const;

const sortOf = (name: InvoicedResourceName) => ({ sortable: new Set<string>(MODELLED[name]), notSimulated: new Set<string>(NOT_MODELLED[name]) });

const DOCUMENT_FILTERS = {
  id: 'integer',
  customer: 'integer',
  number: 'string',
  name: 'string',
  currency: 'string',
  draft: 'boolean',
  closed: 'boolean',
  paid: 'boolean',
  status: 'string',
  date: 'integer',
} as const;

/** The list route of each collection. */
export const LIST_SPECS: { readonly [R in InvoicedResourceName]: ListSpec } = {
  customers: {
    filters: {
      id: 'integer',
      name: 'string',
      number: 'string',
      email: 'string',
      type: 'string',
      currency: 'string',
      payment_terms: 'string',
      country: 'string',
      state: 'string',
      city: 'string',
      postal_code: 'string',
      taxable: 'boolean',
      autopay: 'boolean',
    },
    options: {
      defined: [...BASE_OPTIONS, ...UPDATED_OPTIONS, 'automation', 'balance', 'late_fee_schedule_id', 'metadata', 'open_balance', 'owner', 'payment_source'],
      notSimulated: ['advanced_filter', 'automation', 'balance', 'late_fee_schedule_id', 'open_balance', 'owner', 'payment_source'],
    },
    dates: 'none',
    sort: sortOf('customers'),
  },
  invoices: {
    filters: { ...DOCUMENT_FILTERS, due_date: 'integer', payment_terms: 'string', purchase_order: 'string' },
    options: {
      defined: null,
      notSimulated: [
        'advanced_filter', 'automation', 'balance', 'broken_promises', 'cadence', 'chasing', 'customer_payment_info', 'date_column',
        'payment_attempted', 'payment_plan', 'tags', 'total',
      ],
    },
    dates: 'lenient',
    sort: sortOf('invoices'),
  },
  credit_notes: {
    filters: DOCUMENT_FILTERS,
    options: { defined: null, notSimulated: ['advanced_filter', 'automation'] },
    dates: 'lenient',
    sort: sortOf('credit_notes'),
  },
  payments: {
    filters: {
      id: 'integer',
      customer: 'integer',
      currency: 'string',
      method: 'string',
      voided: 'boolean',
      reference: 'string',
      source: 'string',
      date: 'integer',
    },
    options: {
      defined: [...BASE_OPTIONS, ...UPDATED_OPTIONS, 'amount', 'automation', 'balance', 'end_date', 'metadata', 'start_date'],
      notSimulated: ['advanced_filter', 'amount', 'automation', 'balance'],
    },
    dates: 'numeric',
    sort: sortOf('payments'),
  },
};

/**
 * `GET /refunds`: IB's base list route alone (its base options, checked; no `updated_after`, no metadata, no
 * legacy dates). The filters are the refund fields IB's object configuration makes filterable that the
 * sandbox keeps as exact values (assumed: `amount`, `created_at`, `updated_at` filters not modelled).
 */
export const REFUND_LIST_SPEC: ListSpec = {
  filters: { id: 'integer', charge: 'integer', currency: 'string', gateway: 'string', gateway_id: 'string', status: 'string' },
  options: { defined: BASE_OPTIONS, notSimulated: ['advanced_filter'] },
  dates: 'none',
  sort: {
    sortable: new Set(['amount', 'charge', 'created_at', 'currency', 'failure_message', 'gateway', 'gateway_id', 'id', 'status', 'updated_at']),
    notSimulated: new Set(['company', 'merchant_account_transaction']),
  },
};
