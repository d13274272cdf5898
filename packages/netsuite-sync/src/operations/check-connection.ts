/**
 * The connection check: verifies, with a few cheap read requests, that the NetSuite account ID,
 * credentials and role permissions, the Invoiced API key and its environment, and the sync settings are
 * what a sync needs, and says how to fix each problem it finds.
 */
import { z } from 'zod';
import { parseSyncSettings, type SyncSettingsInput } from '../engine/settings';
import { ApiError, ConfigurationError, NetSuiteSyncError, toValidationIssues } from '../errors';
import type { InvoicedClient } from '../invoiced/client';
import { InvoicedAuthenticationError, InvoicedPermissionError } from '../invoiced/errors';
import type { NetSuiteClient } from '../netsuite/client';
import { NetSuiteApiError, NetSuiteAuthenticationError, NetSuiteConnectionError, NetSuitePermissionError } from '../netsuite/errors';
import { NETSUITE_TOKEN_PATH } from '../netsuite/oauth2';

/** Which service a check is about. */
export type ConnectionSide = 'netsuite' | 'invoiced';

/** One thing the check verified. */
export interface ConnectionCheckItem {
  side: ConnectionSide;
  /**
   * What was checked. NetSuite: `settings`, `credentials`, `suiteql`, `transactions`, `deleted records`,
   * `record service`; Invoiced: `credentials`, `customers`, `invoices`, `payments`.
   */
  name: string;
  /** Whether it passed. A check that could not run because an earlier one failed is not ok. */
  ok: boolean;
  /** What was found, in a sentence. Never holds a secret. */
  detail: string;
}

/** A problem found, with what to do about it. */
export interface ConnectionProblem {
  side: ConnectionSide;
  /** The `name` of the check that found it. */
  check: string;
  /** The error's stable code, e.g. `INVALID_LOGIN`, `DELETED_RECORDS_UNREADABLE`, `INVOICED_AUTHENTICATION_FAILED`. */
  code: string;
  /** What went wrong. Never holds a secret. */
  message: string;
  /** What to do, in NetSuite's or Invoiced's terms. */
  resolution: string;
}

/** The outcome of {@link checkConnection}. */
export interface ConnectionCheckResult {
  /** `true` when no problem was found. */
  ok: boolean;
  /** Every check, NetSuite's first, in a fixed order. */
  checks: ConnectionCheckItem[];
  /** Every problem found; empty when `ok`. */
  problems: ConnectionProblem[];
}

/** Options of {@link checkConnection}. */
export interface CheckConnectionOptions {
  netsuite: NetSuiteClient;
  invoiced: InvoicedClient;
  /** The connection's sync settings: validated, and `phases.followNetSuiteDeletions: false` skips the deleted-records check. */
  settings?: SyncSettingsInput;
  /** Cancels the check: its requests are aborted and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

const optionsSchema = z.object({
  netsuite: z.custom<NetSuiteClient>((value) => typeof value === 'object' && value !== null && typeof (value as NetSuiteClient).suiteql === 'function', {
    message: 'must be a client from createNetSuiteClient()',
  }),
  invoiced: z.custom<InvoicedClient>((value) => typeof value === 'object' && value !== null && typeof (value as InvoicedClient).request === 'function', {
    message: 'must be a client from createInvoicedClient()',
  }),
  settings: z.unknown().optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, { message: 'must be an AbortSignal' }).optional(),
});

/** How to reach the role's permissions, said once for every permission problem. */
const MANAGE_ROLES =
  'In NetSuite, open Setup > Users/Roles > Manage Roles and edit the role of the access token (the role named on the token under ' +
  'Setup > Users/Roles > Access Tokens); on its Permissions tab add';

/** One NetSuite or Invoiced read. */
interface Probe {
  readonly name: string;
  /** Runs the read; resolves with the detail of a pass. */
  run(signal: AbortSignal | undefined): Promise<string>;
  /** A problem specific to this read (a missing permission), or `undefined` for the generic diagnosis. */
  diagnose?(error: unknown): Omit<ConnectionProblem, 'side' | 'check'> | undefined;
}

/** What one side's checks found. */
interface SideResult {
  checks: ConnectionCheckItem[];
  problems: ConnectionProblem[];
}

/**
 * Checks that a connection can sync: the sync settings, the NetSuite account ID, credentials and the
 * role's permissions (SuiteQL on customers, transactions and deleted records, the REST record service),
 * and the Invoiced API key, its environment and reads of customers, invoices and payments. Every request
 * is a read of at most one record; each side's first request checks the credentials, and the others run
 * concurrently once they are accepted (7 requests at most: 4 to NetSuite, 3 to Invoiced).
 *
 * It does not throw for a problem it can diagnose (refused credentials, a wrong account ID, a missing
 * permission, an Invoiced key of the other environment, a service down, invalid settings): each is
 * returned in `problems` with its code and what to do.
 *
 * @example
 * ```ts
 * const result = await checkConnection({ netsuite, invoiced, settings });
 * if (!result.ok) for (const problem of result.problems) console.log(`[${problem.side}] ${problem.check}: ${problem.message}\n  -> ${problem.resolution}`);
 * ```
 * @throws {ConfigurationError} when `netsuite` or `invoiced` is not a client (a programming error, not a connection problem).
 * @throws the signal's reason when `signal` is aborted.
 */
export async function checkConnection(options: CheckConnectionOptions): Promise<ConnectionCheckResult> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error.issues);
    throw new ConfigurationError(`Invalid checkConnection options: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}.`, {
      code: 'INVALID_ARGUMENT',
      issues,
      resolution: 'Pass the clients the sync engine uses: { netsuite: createNetSuiteClient(...), invoiced: createInvoicedClient(...) }.',
    });
  }
  const { netsuite, invoiced, signal } = options;
  signal?.throwIfAborted();

  const settings = checkSettings(options.settings);
  const [netsuiteSide, invoicedSide] = await Promise.all([
    checkSide('netsuite', netsuiteProbes(netsuite, settings.followDeletions), (error) => describeNetSuiteError(netsuite, error), signal),
    checkSide('invoiced', invoicedProbes(invoiced), (error) => describeInvoicedError(invoiced, error), signal),
  ]);
  signal?.throwIfAborted();

  const checks = [settings.check, ...netsuiteSide.checks, ...invoicedSide.checks];
  const problems = [...(settings.problem === undefined ? [] : [settings.problem]), ...netsuiteSide.problems, ...invoicedSide.problems];
  return { ok: problems.length === 0, checks, problems };
}

function checkSettings(input: SyncSettingsInput | undefined): { check: ConnectionCheckItem; problem?: ConnectionProblem; followDeletions: boolean } {
  try {
    const settings = parseSyncSettings(input);
    const on = Object.values(settings.phases).filter(Boolean).length;
    return {
      check: { side: 'netsuite', name: 'settings', ok: true, detail: `The sync settings are valid; ${on} of ${Object.keys(settings.phases).length} phases are on.` },
      followDeletions: settings.phases.followNetSuiteDeletions,
    };
  } catch (error) {
    const { code, message, resolution } = describeGenericError(error);
    // The phase runs unless the settings say otherwise, even invalid ones.
    const raw: unknown = (input as { phases?: { followNetSuiteDeletions?: unknown } } | undefined)?.phases?.followNetSuiteDeletions;
    return {
      check: { side: 'netsuite', name: 'settings', ok: false, detail: message },
      problem: { side: 'netsuite', check: 'settings', code, message, resolution },
      followDeletions: raw !== false,
    };
  }
}

/**
 * Runs one side's probes: the first alone (it also checks the credentials), then the others concurrently.
 * Refused credentials, or a service that does not answer, stop the side after its first request.
 */
async function checkSide(
  side: ConnectionSide,
  probes: { accepted: string; first: Probe; rest: readonly (Probe | { name: string; skipped: string })[] },
  describe: (error: unknown) => { problem: Omit<ConnectionProblem, 'side' | 'check'>; stopsSide: boolean; authentication: boolean },
  signal: AbortSignal | undefined,
): Promise<SideResult> {
  const result: SideResult = { checks: [], problems: [] };
  const credentials: ConnectionCheckItem = { side, name: 'credentials', ok: true, detail: '' };
  result.checks.push(credentials);

  const attempt = async (probe: Probe): Promise<{ item: ConnectionCheckItem; problem?: ConnectionProblem; stopsSide: boolean; authentication: boolean }> => {
    try {
      return { item: { side, name: probe.name, ok: true, detail: await probe.run(signal) }, stopsSide: false, authentication: false };
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      const generic = describe(error);
      const problem = (generic.authentication ? undefined : probe.diagnose?.(error)) ?? generic.problem;
      return {
        item: { side, name: probe.name, ok: false, detail: problem.message },
        problem: { side, check: probe.name, ...problem },
        stopsSide: generic.stopsSide,
        authentication: generic.authentication,
      };
    }
  };

  const first = await attempt(probes.first);
  if (first.problem !== undefined && (first.authentication || first.stopsSide)) {
    const reason = first.authentication ? 'the credentials were refused' : `${side === 'netsuite' ? 'NetSuite' : 'Invoiced'} did not answer`;
    credentials.ok = false;
    credentials.detail = first.problem.message;
    result.problems.push({ ...first.problem, check: 'credentials' });
    for (const probe of [probes.first, ...probes.rest]) {
      result.checks.push({ side, name: probe.name, ok: false, detail: `Not checked: ${reason}.` });
    }
    return result;
  }
  credentials.detail = probes.accepted;
  result.checks.push(first.item);
  if (first.problem !== undefined) result.problems.push(first.problem);

  const rest = await Promise.all(
    probes.rest.map(async (probe) => ('skipped' in probe ? { item: { side, name: probe.name, ok: true, detail: probe.skipped } } : attempt(probe))),
  );
  for (const outcome of rest) {
    result.checks.push(outcome.item);
    if ('problem' in outcome && outcome.problem !== undefined) result.problems.push(outcome.problem);
  }
  return result;
}

/** One SuiteQL row at most. */
async function suiteqlProbe(netsuite: NetSuiteClient, query: string, signal: AbortSignal | undefined): Promise<number> {
  const page = await netsuite.suiteql(query, { limit: 1, ...(signal === undefined ? {} : { signal }) });
  return page.items.length;
}

/** A role that cannot see a SuiteQL table gets 400 (`Record '...' was not found`) or 403. */
function refusedRead(error: unknown): error is NetSuiteApiError {
  if (error instanceof NetSuiteAuthenticationError) return false; // the OAuth 2.0 token endpoint answers 400 too
  return error instanceof NetSuitePermissionError || (error instanceof NetSuiteApiError && error.status === 400);
}

function permissionProblem(error: NetSuiteApiError, what: string, permissions: string): Omit<ConnectionProblem, 'side' | 'check'> {
  return {
    code: error.code,
    message: `NetSuite refused to let the role ${what}: ${error.message}`,
    resolution: `${MANAGE_ROLES} ${permissions}. Save the role and run the check again.`,
  };
}

function netsuiteProbes(netsuite: NetSuiteClient, followDeletions: boolean): { accepted: string; first: Probe; rest: (Probe | { name: string; skipped: string })[] } {
  const first: Probe = {
    name: 'suiteql',
    run: async (signal) => {
      await suiteqlProbe(netsuite, 'SELECT id FROM customer', signal);
      return 'SuiteQL reads customers.';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? permissionProblem(
            error,
            'read customers with SuiteQL',
            'Setup > REST Web Services (level Full), Reports > SuiteAnalytics Workbook (SuiteQL needs it) and Lists > Customers (level Full: the sync creates customers in NetSuite)',
          )
        : undefined,
  };
  const transactions: Probe = {
    name: 'transactions',
    run: async (signal) => {
      await suiteqlProbe(netsuite, "SELECT id FROM transaction WHERE type IN ('CustInvc', 'CustPymt')", signal);
      return 'SuiteQL reads transactions (invoices and customer payments).';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? permissionProblem(
            error,
            'read invoices and customer payments with SuiteQL',
            "Transactions > Invoice and Transactions > Customer Payment (level Full: the sync creates them, and deletes its copies of records voided on Invoiced unless invoicedVoids is 'report'), Transactions > Find Transaction, and Reports > SuiteAnalytics Workbook",
          )
        : undefined,
  };
  const deleted: Probe = {
    name: 'deleted records',
    run: async (signal) => {
      await suiteqlProbe(netsuite, 'SELECT recordid FROM deletedrecord', signal);
      return 'SuiteQL reads deleted records.';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? {
            code: 'DELETED_RECORDS_UNREADABLE',
            message: `NetSuite refused to list deleted records (${error.code}): ${error.message}`,
            resolution: `${MANAGE_ROLES} Setup > Deleted Records (Permissions > Setup subtab). Or, if invoices and payments deleted in NetSuite should not be followed, turn off settings.phases.followNetSuiteDeletions.`,
          }
        : undefined,
  };
  const records: Probe = {
    name: 'record service',
    run: async (signal) => {
      const list = netsuite.records.list('customer', { pageSize: 1, ...(signal === undefined ? {} : { signal }) });
      await list.next();
      await list.return?.();
      return 'The REST record service reads customers.';
    },
    diagnose: (error) =>
      error instanceof NetSuitePermissionError
        ? permissionProblem(error, 'use the REST record service', 'Setup > REST Web Services (level Full) and Lists > Customers (level Full)')
        : undefined,
  };
  return {
    accepted: `NetSuite account ${netsuite.accountId} accepted the credentials.`,
    first,
    rest: [
      transactions,
      followDeletions
        ? deleted
        : { name: 'deleted records', skipped: 'Not checked: settings.phases.followNetSuiteDeletions is off, so the sync does not read deleted records.' },
      records,
    ],
  };
}

function invoicedProbes(invoiced: InvoicedClient): { accepted: string; first: Probe; rest: Probe[] } {
  const read = (name: 'customers' | 'invoices' | 'payments'): Probe => ({
    name,
    run: async (signal) => {
      const list = invoiced[name].list({ perPage: 1, ...(signal === undefined ? {} : { signal }) });
      await list.next();
      await list.return();
      return `Invoiced lists ${name}.`;
    },
    diagnose: (error) =>
      error instanceof InvoicedPermissionError
        ? {
            code: error.code,
            message: `Invoiced accepted the API key but refused to list ${name}: ${error.message}`,
            resolution: `${error.resolution ?? ''} The sync reads and writes customers, invoices and payments, so the key must be allowed all three.`.trim(),
          }
        : undefined,
  });
  return {
    accepted: `Invoiced (${invoiced.environment}, ${invoiced.baseUrl}) accepted the API key.`,
    first: read('customers'),
    rest: [read('invoices'), read('payments')],
  };
}

/** Problems any error can be described as: its own code, message and resolution. */
function describeGenericError(error: unknown): Omit<ConnectionProblem, 'side' | 'check'> {
  if (error instanceof NetSuiteSyncError) {
    return {
      code: error.code,
      message: error.message,
      resolution: error.resolution ?? 'See the error catalogue (docs/errors.md) for this code.',
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return {
    code: 'UNEXPECTED_CHECK_ERROR',
    message: `The check failed with an unexpected ${name}${error instanceof Error ? `: ${error.message}` : ''}.`,
    resolution: 'This is not an answer NetSuite or Invoiced is known to give. Run the check again; if it persists, report it with this message.',
  };
}

/** Failures after which the side's other reads would fail the same way. */
function stopsSide(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === undefined || error.status >= 500 || error.status === 429;
}

function describeNetSuiteError(netsuite: NetSuiteClient, error: unknown) {
  const generic = describeGenericError(error);
  if (error instanceof NetSuiteAuthenticationError && !error.path.startsWith(NETSUITE_TOKEN_PATH)) {
    const { accountId } = netsuite.account;
    return {
      authentication: true,
      stopsSide: true,
      problem: {
        ...generic,
        message: `NetSuite account ${accountId} refused the credentials (${error.code}).`,
        resolution:
          `Check, in this order: (1) the account ID: ${accountId} must be the account the token was created in (Setup > Company > Company Information > Account ID; a sandbox ends in _SB1, _SB2...); ` +
          '(2) Token-Based Authentication and REST Web Services are enabled (Setup > Company > Enable Features > SuiteCloud); ' +
          '(3) the consumer key and secret are those of an integration record with Token-Based Authentication checked (Setup > Integration > Manage Integrations); ' +
          "(4) the token ID and secret are those of an access token of that integration, for a user and a role, not revoked (Setup > Users/Roles > Access Tokens), and the user still has that role; " +
          "(5) the role has Setup > Log in using Access Tokens and Setup > REST Web Services; (6) this machine's clock is right. " +
          'Setup > Users/Roles > User Management > View Login Audit Trail shows the reason NetSuite gives.',
      },
    };
  }
  if (error instanceof NetSuiteAuthenticationError) return { authentication: true, stopsSide: true, problem: generic };
  if (error instanceof NetSuiteConnectionError) {
    return {
      authentication: false,
      stopsSide: true,
      problem: {
        ...generic,
        resolution:
          `NetSuite could not be reached at ${netsuite.baseUrl}. Unless baseUrl was given, that host comes from the account ID ${netsuite.accountId}: ` +
          'check the account ID (Setup > Company > Company Information), then the network, DNS and any proxy.',
      },
    };
  }
  return { authentication: false, stopsSide: stopsSide(error), problem: generic };
}

function describeInvoicedError(invoiced: InvoicedClient, error: unknown) {
  const generic = describeGenericError(error);
  if (error instanceof InvoicedAuthenticationError) {
    const where =
      invoiced.environment === 'production'
        ? `The key was sent to Invoiced's production API (${invoiced.baseUrl}). A key of Invoiced's sandbox only works there with \`sandbox: true\`; a production key must be copied again from Settings > Developers > API Keys in the production account.`
        : invoiced.environment === 'sandbox'
          ? `The key was sent to Invoiced's sandbox API (${invoiced.baseUrl}). A production key does not work there: drop \`sandbox: true\` to use it, or copy a key from Settings > Developers > API Keys in the sandbox account.`
          : `The key was sent to ${invoiced.baseUrl}. Check that baseUrl is the API of the environment (production or sandbox) the key was created in, and the key itself (Settings > Developers > API Keys).`;
    return {
      authentication: true,
      stopsSide: true,
      problem: { ...generic, message: `Invoiced refused the API key (${invoiced.environment}).`, resolution: `${where} Keys are per account and per environment; a deleted key is refused.` },
    };
  }
  return { authentication: false, stopsSide: stopsSide(error), problem: generic };
}
