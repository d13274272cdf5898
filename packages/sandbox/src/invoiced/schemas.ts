/**
 * What the simulated Invoiced accepts in request bodies, written independently of the SDK, JSON or
 * form-encoded (see `bodies.ts`). Objects are strict: an unknown field is refused with `param` naming it, a mistyped one with `param` at its path
 * (`items.0.quantity`). Metadata is a map (or `null`) here; its values and limits are `metadata.ts`'s.
 */
import { z } from 'zod';
import { isFormEncoded } from './bodies';
import { invalidRequest } from './errors';

/** Larger "seconds" are milliseconds (year 5138): refused rather than stored as a far future. */
const MAX_UNIX_SECONDS = 1e11;

/**
 * Payment methods the API reference lists as "commonly used". Invoiced takes any method ID (its payment
 * model does not check it), so the simulator does too; the list is for generated books.
 */
export const PAYMENT_METHODS = [
  'ach', 'cash', 'check', 'credit_card', 'eft', 'direct_debit', 'other', 'paypal', 'wire_transfer',
] as const;

/** Numbers and booleans of a form body arrive as strings; PHP reads them as their values. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const fromFormNumber = (value: unknown) => (typeof value === 'string' && NUMERIC.test(value.trim()) ? Number(value) : value);
const fromFormBoolean = (value: unknown) => {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false' || value === '') return false;
  return value;
};

/** The body schemas, strict for JSON bodies; for form bodies numbers and booleans may be strings. */
function buildSchemas(form: boolean) {
  // Typed as the wrapped schema: only the methods every schema has (refine, nullable, optional) are used on it.
  const num = <T extends z.ZodType>(schema: T): T => (form ? (z.preprocess(fromFormNumber, schema) as unknown as T) : schema);
  const bool = () => (form ? (z.preprocess(fromFormBoolean, z.boolean()) as unknown as z.ZodBoolean) : z.boolean());
  const text = z.string().nullable();
  const positiveId = num(z.number().int().positive());
  const unixSeconds = num(
    z.number().int().nonnegative().max(MAX_UNIX_SECONDS, 'looks like milliseconds; Invoiced expects UNIX seconds'),
  );
  const currency = z
    .string()
    .regex(/^[a-zA-Z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .transform((code) => code.toLowerCase());
  const finite = num(z.number().refine(Number.isFinite, 'must be a finite number'));
  /**
   * Metadata as written: a map whose values `metadata.ts` checks (Invoiced's own check, with its own
   * messages), or `null`, which Invoiced reads as an empty map.
   */
  const metadata = z.record(z.string(), z.unknown()).nullable();

  const adjustment = z.strictObject({ amount: finite });

  const lineItem = z
    .strictObject({
      id: positiveId,
      catalog_item: text,
      type: text,
      name: text,
      description: text,
      quantity: finite,
      unit_cost: finite,
      discountable: bool(),
      taxable: bool(),
      discounts: z.array(adjustment),
      taxes: z.array(adjustment),
      metadata,
    })
    .partial();

  const customerFields = z
    .strictObject({
      // Lengths, the e-mail address and the type are checked by `customers.ts`, in Invoiced's words.
      name: z.string(),
      number: z.string(),
      email: text,
      type: z.string(),
      payment_terms: text,
      currency: currency.nullable(),
      address1: text,
      address2: text,
      city: text,
      state: text,
      postal_code: text,
      country: text,
      phone: text,
      attention_to: text,
      taxable: bool(),
      tax_id: text,
      credit_limit: finite.nullable(),
      autopay: bool(),
      notes: text,
      metadata,
    })
    .partial();

  const creditNoteFields = z
    .strictObject({
      customer: positiveId,
      name: text,
      // Its length is checked by `documents.ts`, in Invoiced's words; '' on create asks for a generated one.
      number: z.string(),
      currency,
      draft: bool(),
      closed: bool(),
      date: unixSeconds,
      items: z.array(lineItem),
      notes: text,
      discounts: z.array(adjustment),
      taxes: z.array(adjustment),
      metadata,
    })
    .partial();

  const invoiceFields = creditNoteFields.extend({
    due_date: unixSeconds.nullable().optional(),
    payment_terms: text.optional(),
    purchase_order: text.optional(),
  });

  const application = z.strictObject({
    type: z.enum(['invoice', 'credit_note', 'credit']),
    invoice: positiveId.nullable().optional(),
    credit_note: positiveId.nullable().optional(),
    /** Sent by some clients with credit note applications; only invoices are modelled. */
    document_type: z.literal('invoice').optional(),
    amount: finite.refine((value) => value > 0, 'must be greater than 0'),
  });

  const paymentFields = z
    .strictObject({
      customer: positiveId.nullable(),
      date: unixSeconds,
      currency,
      amount: finite.refine((value) => value >= 0, 'must not be negative'),
      method: z.string().min(1),
      reference: text,
      source: text,
      notes: text,
      applied_to: z.array(application),
      metadata,
    })
    .partial();

  return {
    lineItem,
    adjustment,
    application,
    metadata,
    customerCreate: customerFields.required({ name: true }),
    customerUpdate: customerFields,
    invoiceCreate: invoiceFields.required({ customer: true }),
    invoiceUpdate: invoiceFields,
    creditNoteCreate: creditNoteFields.required({ customer: true }),
    creditNoteUpdate: creditNoteFields,
    paymentCreate: paymentFields.required({ amount: true }),
    paymentUpdate: paymentFields,
  };
}

const JSON_SCHEMAS = buildSchemas(false);
const FORM_SCHEMAS = buildSchemas(true);
/** The form variant of each exported schema, for {@link parseBody}. */
const FORM_VARIANT = new Map<z.ZodType, z.ZodType>(
  (Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[]).map((name) => [JSON_SCHEMAS[name], FORM_SCHEMAS[name]]),
);

export const customerCreateSchema = JSON_SCHEMAS.customerCreate;
export const customerUpdateSchema = JSON_SCHEMAS.customerUpdate;
export const invoiceCreateSchema = JSON_SCHEMAS.invoiceCreate;
export const invoiceUpdateSchema = JSON_SCHEMAS.invoiceUpdate;
export const creditNoteCreateSchema = JSON_SCHEMAS.creditNoteCreate;
export const creditNoteUpdateSchema = JSON_SCHEMAS.creditNoteUpdate;
export const paymentCreateSchema = JSON_SCHEMAS.paymentCreate;
export const paymentUpdateSchema = JSON_SCHEMAS.paymentUpdate;
export type CustomerInput = z.infer<typeof customerUpdateSchema>;
export type DocumentInput = z.infer<typeof invoiceUpdateSchema>;
export type LineItemInput = z.infer<typeof JSON_SCHEMAS.lineItem>;
export type AdjustmentInput = z.infer<typeof JSON_SCHEMAS.adjustment>;
export type PaymentInput = z.infer<typeof paymentUpdateSchema>;
export type ApplicationInput = z.infer<typeof JSON_SCHEMAS.application>;
export type MetadataInput = z.infer<typeof JSON_SCHEMAS.metadata>;

const paramOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * Parses a request body with `schema`, or throws a 400 `invalid_request` naming the first parameter at
 * fault.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  const chosen = isFormEncoded(body) ? ((FORM_VARIANT.get(schema) as z.ZodType<T> | undefined) ?? schema) : schema;
  const parsed = chosen.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw invalidRequest('Invalid request.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw invalidRequest(`Received unknown parameter: ${key}`, paramOf([...issue.path, key]));
  }
  const param = paramOf(issue.path);
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    throw invalidRequest(`Missing required parameter: ${param}`, param);
  }
  throw invalidRequest(`Invalid ${param}: ${issue.message}`, param);
}
