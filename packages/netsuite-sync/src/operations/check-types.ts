/**
 * The types of the connection check's result, shared by its parts.
 */

/** Which service a check is about. */
export type ConnectionSide = 'netsuite' | 'invoiced';

/** One thing the check verified. */
export interface ConnectionCheckItem {
  side: ConnectionSide;
  /**
   * What was checked. NetSuite: `settings`, `credentials`, `suiteql`, `transactions`, `deleted records`,
   * `record service`, then the settings proved against the account: `items`, `currencies`, `subsidiary`,
   * `payment accounts`, `refund account`, `field mappings`, `time zone`, `write permissions`; Invoiced:
   * `credentials`, `customers`, `invoices`, `payments`.
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
  /** `true` when no problem was found: the settings were proved against the account, and a sync would not fail for one. */
  ok: boolean;
  /** Every check, NetSuite's first, in a fixed order. */
  checks: ConnectionCheckItem[];
  /** Every problem found; empty when `ok`. */
  problems: ConnectionProblem[];
  /**
   * What the check says of the sync settings: `proved` (valid, and the account confirms every setting it
   * can check), `refuted` (invalid, or the account shows a setting a sync would fail for: the CLI's
   * configuration exit code), `unproved` (the proof could not run or read: refused credentials, a service
   * down, a read the role may not make).
   */
  settings: SettingsVerdict;
}

/** See {@link ConnectionCheckResult.settings}. */
export type SettingsVerdict = 'proved' | 'refuted' | 'unproved';

/** A problem without the side and check it belongs to. */
export type ProblemFacts = Omit<ConnectionProblem, 'side' | 'check'>;

/** One NetSuite or Invoiced read. */
export interface Probe {
  readonly name: string;
  /** Runs the read; resolves with the detail of a pass. */
  run(signal: AbortSignal | undefined): Promise<string>;
  /** A problem specific to this read (a missing permission), or `undefined` for the generic diagnosis. */
  diagnose?(error: unknown): ProblemFacts | undefined;
}


/** What the check learned from its Invoiced reads: the first page (100) of customers and of invoices, newest invoices first. */
export interface InvoicedSample {
  /** ISO codes (upper case) of the sampled customers and non-draft invoices. */
  readonly currencies: Set<string>;
  /** Records sampled, by list. */
  readonly records: { customers: number; invoices: number };
  /** Sampled non-draft invoices with taxes, and with discounts (at the invoice or on a line). */
  taxed: number;
  discounted: number;
}

/** What a proof of settings found: its detail when it passed, and its problems. */
export interface ProofOutcome {
  readonly detail: string;
  readonly problems: readonly ProblemFacts[];
}
