/**
 * The connection check: verifies, with a few cheap read requests, that the NetSuite account ID,
 * credentials and role permissions, the Invoiced API key and its environment, and the sync settings are
 * what a sync needs, proves the settings against the account (items, currencies, subsidiary, deposit
 * accounts, time zone), and says how to fix each problem it finds.
 */
import { z } from 'zod';
import { PHASES, syncPhaseNames } from '../engine/phases/index';
import { parseSyncSettings, type SyncSettings, type SyncSettingsInput } from '../engine/settings';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { InvoicedClient } from '../invoiced/client';
import type { NetSuiteClient } from '../netsuite/client';
import { describeGenericError, describeInvoicedError, describeNetSuiteError } from './check-errors';
import { invoicedProbes, netsuiteProbes } from './check-probes';
import { proveSettings } from './check-settings-proof';
import type { ConnectionCheckItem, ConnectionCheckResult, ConnectionProblem, ConnectionSide, InvoicedSample, Probe, ProblemFacts } from './check-types';

export type { ConnectionCheckItem, ConnectionCheckResult, ConnectionProblem, ConnectionSide, SettingsVerdict } from './check-types';

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

/** What one side's checks found. */
interface SideResult {
  checks: ConnectionCheckItem[];
  problems: ConnectionProblem[];
}

/**
 * Checks that a connection can sync: the sync settings, the NetSuite account ID, credentials and the
 * role's permissions (SuiteQL on customers, transactions and deleted records, the REST record service),
 * and the Invoiced API key, its environment and reads of customers, invoices and payments. Each side's
 * first request checks the credentials, and the others run concurrently once they are accepted. Then the
 * settings are proved against the account (`check-settings-proof.ts`): the items exist, are active and
 * fit their lines; every currency met (the first page of Invoiced customers and newest invoices, and
 * NetSuite's open invoices) maps to an active NetSuite currency; the subsidiary and deposit accounts
 * exist and are active; the field mappings fit each record type's metadata catalog; NetSuite's time zone
 * is known. 14 requests at most without field mappings or mandatory custom fields: 11 to NetSuite (10
 * SuiteQL, 1 record read; fewer when phases are off or settings unset) and 3 list reads to Invoiced. Each
 * record type written that has mappings, or that a mandatory custom field may apply to, adds one catalog
 * read (kept per client), and the classes, departments, locations and sales reps static values name one
 * SuiteQL read per kind.
 * Write permissions cannot be proved without writing, and are not.
 *
 * It does not throw for a problem it can diagnose (refused credentials, a wrong account ID, a missing
 * permission, an Invoiced key of the other environment, a service down, invalid settings, a setting the
 * account refutes): each is returned in `problems` with its code and what to do, and `ok` is false.
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
  const sample: InvoicedSample = { currencies: new Set(), records: { customers: 0, invoices: 0 }, taxed: 0, discounted: 0 };
  const [netsuiteSide, invoicedSide] = await Promise.all([
    checkSide('netsuite', netsuiteProbes(netsuite, settings.followDeletions), (error) => describeNetSuiteError(netsuite, error), signal),
    checkSide('invoiced', invoicedProbes(invoiced, sample), (error) => describeInvoicedError(invoiced, error), signal),
  ]);
  signal?.throwIfAborted();

  // The settings are proved once they are valid and NetSuite accepted the credentials; the sample of
  // Invoiced records is empty if Invoiced could not be read (its own problem says so).
  const netsuiteAccepted = netsuiteSide.checks.find((check) => check.name === 'credentials')?.ok === true;
  const proof =
    settings.parsed !== undefined && netsuiteAccepted
      ? await proveSettings(netsuite, settings.parsed, sample, signal)
      : {
          checks: PROOF_CHECKS.map((name) => ({ side: 'netsuite' as const, name, ok: false, detail: `Not checked: ${settings.parsed === undefined ? 'the settings are invalid' : 'NetSuite refused the credentials or did not answer'}.` })),
          problems: [],
          verdict: settings.parsed === undefined ? ('refuted' as const) : ('unproved' as const),
        };
  signal?.throwIfAborted();

  const checks = [settings.check, ...netsuiteSide.checks, ...proof.checks, ...invoicedSide.checks];
  const problems = [...(settings.problem === undefined ? [] : [settings.problem]), ...netsuiteSide.problems, ...proof.problems, ...invoicedSide.problems];
  return { ok: problems.length === 0 && checks.every((check) => check.ok), checks, problems, settings: proof.verdict };
}

/** The checks of the settings proof, in order. */
const PROOF_CHECKS = ['items', 'currencies', 'subsidiary', 'payment accounts', 'refund account', 'field mappings', 'time zone', 'write permissions'] as const;

function checkSettings(input: SyncSettingsInput | undefined): { check: ConnectionCheckItem; problem?: ConnectionProblem; followDeletions: boolean; parsed?: SyncSettings } {
  try {
    const settings = parseSyncSettings(input);
    const on = syncPhaseNames(settings).length;
    return {
      check: { side: 'netsuite', name: 'settings', ok: true, detail: `The sync settings are valid; ${on} of ${PHASES.length} phases are on.` },
      followDeletions: settings.phases.followNetSuiteDeletions,
      parsed: settings,
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
  describe: (error: unknown) => { problem: ProblemFacts; stopsSide: boolean; authentication: boolean },
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

