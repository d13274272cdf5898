/**
 * The public types of import jobs (`engine.importInvoices()`, `engine.importCustomers()`). See
 * docs/import-jobs.md.
 */
import type { RunError } from '../../store/sync-store';

/** What an import job imports. */
export type ImportKind = 'invoices' | 'customers';

/** How far an import job is: records handled, of `total` (from a count at the start; `null` before it). */
export interface ImportProgress {
  readonly processed: number;
  readonly total: number | null;
}

/** Options of `engine.importInvoices()` and `engine.importCustomers()`. */
export interface ImportOptions {
  /**
   * The job's ID (1 to 200 letters, digits, or `_ . : -`). A job of this ID that is in the store and did
   * not finish (cancelled, failed, or left `running` by a process that stopped) is resumed after its
   * checkpoint's cursor; a finished one is returned as it is, with no work. Without it, a new job with a
   * new ID.
   */
  jobId?: string;
  /** Stops the job at the next safe point (between records); it ends `cancelled` and can be resumed by its `jobId`. */
  signal?: AbortSignal;
  /**
   * Called once when the job ends (`succeeded`, `partial`, `failed` or `cancelled`), with its result, after
   * the lease is released: where the hosted product sends its "import finished" email. It is awaited
   * before `done` resolves; one that throws or rejects is logged and changes nothing.
   */
  notify?: (result: ImportResult) => void | Promise<void>;
  /** Called as records are handled; `processed` only grows and ends equal to `total`. A throwing listener is logged and ignored. */
  onProgress?: (progress: ImportProgress) => void;
}

/** How an import job ended. */
export interface ImportResult {
  readonly jobId: string;
  readonly kind: ImportKind;
  /** `partial`: the job went through the list, but some records failed (see the run's record errors). */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  /** The run of this job's last start, in Recent Syncs with trigger `import`: its record errors name each failed record. */
  readonly runId: string;
  /**
   * What the whole job did, over every start of it: `customers_created`, `customers_updated`,
   * `customers_linked`, `customers_skipped`, `invoices_created`, `invoices_updated`, `invoices_skipped`,
   * `records_failed`, `netsuite_customers_read` / `netsuite_invoices_read`. Each run in Recent Syncs
   * counts only its own part.
   */
  readonly counts: Readonly<Record<string, number>>;
  /** Why the job `failed` or was `cancelled`; `null` otherwise. */
  readonly error: RunError | null;
  /** When the job first started (an earlier start, for a resumed job). */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A running (or finished) import job. */
export interface ImportJob {
  readonly id: string;
  readonly kind: ImportKind;
  /** `running` until `done` settles; then the result's status (`failed` when `done` rejected). */
  status(): 'running' | ImportResult['status'];
  /** Records handled so far, of the total counted at the start. */
  progress(): ImportProgress;
  /**
   * The result. A job that fails resolves with status `failed` and its error: `done` rejects only when
   * the job cannot start: `SyncInProgressError` when the connection's lease is held (a sync or another
   * import is running), `ImportJobError` when `jobId` names a job of the other kind or an unreadable
   * checkpoint, or the store's error when the run cannot be recorded.
   */
  readonly done: Promise<ImportResult>;
  /** Stops the job at the next safe point, as aborting `signal` does. */
  cancel(): void;
}
