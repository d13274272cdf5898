import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';

/** The settings of one connection, validated by {@link parseSyncSettings}. */
export const syncSettingsSchema = z.strictObject({
  /**
   * Which phases run; each can be switched off. The other flows of the integration (NetSuite payments,
   * Invoiced invoices and payments written to NetSuite) join this list as they are built.
   */
  phases: z
    .strictObject({
      /** Import open NetSuite invoices, and the customers they belong to, into Invoiced. */
      readNetSuiteInvoices: z.boolean().default(true),
    })
    .prefault({}),
  /** Only NetSuite invoices dated on or after this day are imported (`YYYY-MM-DD`). */
  invoiceStartDate: z.iso.date().optional(),
  /** How far each incremental read reaches back before its cursor, in milliseconds. */
  cursorOverlapMs: z.number().int().min(0).max(86_400_000).default(300_000),
  /** How long a run's lease lasts without renewal, in milliseconds (renewed every third of it). */
  leaseTtlMs: z.number().int().min(1_000).max(86_400_000).default(600_000),
});

/** Settings as given (defaults applied by {@link parseSyncSettings}). */
export type SyncSettingsInput = z.input<typeof syncSettingsSchema>;
/** Settings with every default filled in. */
export type SyncSettings = z.output<typeof syncSettingsSchema>;

/**
 * Validates a connection's settings and fills in defaults.
 * @example parseSyncSettings({ items: { default: '12' }, subsidiary: '1' });
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
