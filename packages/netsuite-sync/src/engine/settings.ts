import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import { netsuiteFieldsSchema, paymentAccountRulesSchema, subsidiarySettingSchema, utcOffsetMinutes } from '../mapping/index';

/** An IANA name the runtime knows (not a bare offset such as `-08:00`, which has no daylight saving time). */
function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    utcOffsetMinutes(new Date(0), name);
    return true;
  } catch {
    return false;
  }
}

/** The settings of one connection, validated by {@link parseSyncSettings}. */
export const syncSettingsSchema = z.strictObject({
  /**
   * Which phases run, in this order; each can be switched off.
   */
  phases: z
    .strictObject({
      /** Import open NetSuite invoices, and the customers they belong to, into Invoiced. */
      readNetSuiteInvoices: z.boolean().default(true),
      /**
       * Import NetSuite credit memos as Invoiced credit notes (open ones, and any that change later), with
       * the applications NetSuite made of them to imported invoices.
       */
      readNetSuiteCreditMemos: z.boolean().default(true),
      /** Sync payments recorded on NetSuite to Invoiced, applied to the invoices they pay (with the credit memos they apply). */
      readNetSuitePayments: z.boolean().default(true),
      /**
       * Follow NetSuite customer refunds on Invoiced: what a refund took of a payment's unapplied amount is
       * left out of the payment's Invoiced copy, and a credit note whose credit memo was refunded in full is
       * closed. Off, refunds are not read.
       */
      readNetSuiteRefunds: z.boolean().default(true),
      /**
       * Follow invoices, credit memos, payments and customer refunds deleted in NetSuite: the Invoiced
       * counterpart of one that came from NetSuite is voided; one the sync wrote from Invoiced is reported.
       * Needs the role's Deleted Records permission.
       */
      followNetSuiteDeletions: z.boolean().default(true),
      /** Write non-draft invoices created on Invoiced (and their customers) to NetSuite. */
      writeInvoicedInvoices: z.boolean().default(true),
      /** Write non-draft credit notes created on Invoiced (and their customers) to NetSuite as credit memos. */
      writeInvoicedCreditNotes: z.boolean().default(true),
      /** Reconcile payments received on Invoiced to NetSuite (those of imported invoices included), with the credit notes they apply. */
      writeInvoicedPayments: z.boolean().default(true),
      /**
       * Write refunds of payments processed through Invoiced to NetSuite as customer refunds of the payments'
       * NetSuite copies (needs `refundAccount`).
       */
      writeInvoicedRefunds: z.boolean().default(true),
      /**
       * Read Invoiced's events list since the last run and follow the invoices and credit notes deleted on
       * Invoiced (their NetSuite copies are deleted, or reported, as `invoicedVoids` says): one request per
       * kind and run when none was deleted. See docs/real-time.md.
       */
      followInvoicedDeletions: z.boolean().default(true),
    })
    .prefault({}),
  /** NetSuite items for invoices written to NetSuite (internal IDs). */
  items: z
    .strictObject({
      /** Item of every line whose Invoiced catalog item has none of its own. */
      defaultItem: z.string().min(1).optional(),
      /** Item by Invoiced catalog item ID. */
      catalogItems: z.record(z.string(), z.string().min(1)).optional(),
      /** Discount item: required when an invoice has discounts. */
      discountItem: z.string().min(1).optional(),
      /** Tax item of every tax rate without one of its own: required when an invoice has taxes. */
      taxItem: z.string().min(1).optional(),
      /** Tax item by Invoiced tax rate ID. */
      taxItems: z.record(z.string(), z.string().min(1)).optional(),
    })
    .prefault({}),
  /**
   * The NetSuite bank account (internal ID) customer refunds written from Invoiced are paid from. Required
   * only when there are refunds to write: without it each refund is the record error `REFUND_ACCOUNT_REQUIRED`.
   */
  refundAccount: z.string().min(1).optional(),
  /**
   * The subsidiary of customers created in NetSuite (OneWorld accounts require one): an internal ID for
   * all of them, or rules `{ when: { currency?, customer?, metadata? }, subsidiary }` tried in order, the
   * first that holds winning (a customer no rule holds for is the record error
   * `SUBSIDIARY_RULE_NOT_MATCHED`). A transaction is in its customer's subsidiary: NetSuite's default.
   */
  subsidiary: subsidiarySettingSchema.optional(),
  /**
   * OneWorld accounts where one company is a customer of several subsidiaries, as separate NetSuite
   * customers of the same name: an Invoiced customer is matched by name only to NetSuite customers of the
   * subsidiary `subsidiary` gives it. Needs `subsidiary`.
   * @default false
   */
  matchCustomersWithinSubsidiary: z.boolean().default(false),
  /**
   * Field mappings by NetSuite record type (`customer`, `invoice`, `creditMemo`, `customerPayment`,
   * `customerRefund`): defaults (`class`, `department`, `location`, `customForm`, custom fields), rules by
   * currency, subsidiary, customer or Invoiced metadata, and field-to-field mappings both ways.
   * docs/field-mappings.md has the recipes.
   */
  netsuiteFields: netsuiteFieldsSchema.prefault({}),
  /**
   * ISO currency code (upper case) -> NetSuite currency internal ID, for records written to NetSuite.
   * Optional: a code it does not name is looked up in the account's currency table (by `symbol`, active
   * currencies only), read once per run when first needed. Entries given win over the account's.
   */
  currencies: z.record(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO code in upper case'), z.string().min(1)).optional(),
  /**
   * Where payments written to NetSuite are deposited: `{ currency, method, account }` rules with `*`
   * wildcards, the most specific winning; `account: 'undeposited'` means Undeposited Funds.
   */
  paymentAccounts: paymentAccountRulesSchema.default([{ currency: '*', method: '*', account: 'undeposited' }]),
  /**
   * What happens in NetSuite when an invoice or payment the sync wrote there is voided on Invoiced.
   * `delete`: the sync deletes its NetSuite copy (NetSuite's REST API cannot void; a record NetSuite will
   * not delete, such as a deposited payment, becomes a record error saying what to do). `report`: only a
   * record error, for a person to void it in NetSuite.
   */
  invoicedVoids: z.enum(['delete', 'report']).default('delete'),
  /** Write Invoiced's invoice number as NetSuite's `tranId` (off: NetSuite numbers the invoice). */
  useInvoicedNumber: z.boolean().default(false),
  /** Only NetSuite invoices dated on or after this day are imported (`YYYY-MM-DD`). */
  invoiceStartDate: z.iso.date().optional(),
  /**
   * The time zone of the NetSuite integration user's preferences (Home > Set Preferences), as an IANA
   * name such as `America/Los_Angeles`. SuiteQL compares and shows datetimes in it, and dates written to
   * NetSuite are days in it. Without it the engine asks NetSuite for its current time once per run and
   * uses that offset; naming the zone makes dates exact across daylight saving time changes.
   */
  netsuiteTimeZone: z
    .string()
    .refine((name) => isTimeZone(name), { message: 'must be an IANA time zone name such as America/Los_Angeles' })
    .optional(),
  /** How far each incremental read reaches back before its cursor, in milliseconds. */
  cursorOverlapMs: z.number().int().min(0).max(86_400_000).default(300_000),
  /**
   * Records a phase handles at once. Each client still keeps to its own request limit (NetSuite's
   * account-wide concurrency, Invoiced's 20 in flight); this only lets a phase keep those limits busy.
   * 1 handles records one at a time, in order, in each phase (phases that do not depend on each other run at
   * the same time, each with its own records in flight).
   */
  recordConcurrency: z.number().int().min(1).max(100).default(20),
  /**
   * How long a run's lease lasts without renewal, in milliseconds. A live run renews it every quarter of
   * this; a process that dies holding it blocks its connection this long, after which the next run takes
   * the lease over and closes the dead run as `abandoned`.
   */
  leaseTtlMs: z.number().int().min(1_000).max(86_400_000).default(60_000),
}).superRefine((settings, context) => {
  if (settings.matchCustomersWithinSubsidiary && settings.subsidiary === undefined) {
    context.addIssue({ code: 'custom', path: ['matchCustomersWithinSubsidiary'], message: 'needs subsidiary: the subsidiary of each customer is what it is matched within' });
  }
});

/** Settings as given (defaults applied by {@link parseSyncSettings}). */
export type SyncSettingsInput = z.input<typeof syncSettingsSchema>;
/** Settings with every default filled in. */
export type SyncSettings = z.output<typeof syncSettingsSchema>;

/**
 * Validates a connection's settings and fills in defaults.
 * @example parseSyncSettings({ items: { defaultItem: '12' }, subsidiary: '1' });
 * @throws {ConfigurationError} `INVALID_SETTINGS` with one issue per wrong field.
 */
export function parseSyncSettings(input: unknown): SyncSettings {
  const parsed = syncSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error.issues);
    throw new ConfigurationError(`Invalid sync settings: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}.`, {
      code: 'INVALID_SETTINGS',
      issues,
      resolution: 'Correct the fields named in the error; docs/configuration.md lists every setting.',
    });
  }
  return parsed.data;
}
