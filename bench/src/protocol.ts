import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What the bench's processes share: the two APIs and their limits, the scenarios, the configuration a
 * child process receives and the result it sends back (over the `child_process` IPC channel).
 */

/** The two services. */
export type Api = 'netsuite' | 'invoiced';
export const APIS: readonly Api[] = ['netsuite', 'invoiced'];

/** Requests in flight each service allows (the sandbox answers one more with its 429). */
export const SERVICE_LIMITS: Readonly<Record<Api, number>> = { netsuite: 5, invoiced: 20 };
/** Rows one read request returns at most: a SuiteQL page, an Invoiced list page. */
export const PAGE_SIZES: Readonly<Record<Api, number>> = { netsuite: 1000, invoiced: 100 };

/** The engine's scenarios, in the order they run for one size. */
export const ENGINE_SCENARIOS = ['import-customers', 'import-invoices', 'first-sync', 'unchanged-after-first', 'unchanged-steady', 'changed-1pct'] as const;
export type EngineScenario = (typeof ENGINE_SCENARIOS)[number];
export type ScenarioName = EngineScenario | 'baseline';

/** Scenarios that sync books in which nothing changed since the previous sync. */
export const UNCHANGED_SCENARIOS: ReadonlySet<ScenarioName> = new Set(['unchanged-after-first', 'unchanged-steady']);

/** The stores a child can run the engine over (`--store`): the memory store, or SQLite in a temporary file. */
export const STORE_NAMES = ['memory', 'sqlite'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/** What a child process needs to run one scenario. */
export interface ChildConfig {
  readonly scenario: ScenarioName;
  readonly netsuite: {
    readonly url: string;
    readonly accountId: string;
    readonly credentials: { readonly consumerKey: string; readonly consumerSecret: string; readonly tokenId: string; readonly tokenSecret: string };
  };
  readonly invoiced: { readonly url: string; readonly apiKey: string };
  /** Added to `Date.now()`: the bench's simulated clock, shared with the sandbox (see main.ts). */
  readonly clockOffsetMs: number;
  /** Requests in flight each client allows itself. */
  readonly concurrency: Readonly<Record<Api, number>>;
  /** The engine's settings (`SyncSettingsInput`). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The store the engine runs over (the baseline uses none); a sqlite one lives in a new file removed at the end. */
  readonly store: StoreName;
  /** Store state to start from (NDJSON written by an earlier child), or null for a new connection. */
  readonly snapshotIn: string | null;
  /** Where to write the store's state when the scenario is done, or null. */
  readonly snapshotOut: string | null;
  /** Baseline only: process at most this many open invoices; the books' currencies by NetSuite ID - 1. */
  readonly baseline?: { readonly maxInvoices: number; readonly currencies: readonly string[] };
}

/** Reads of one kind of data (one query shape, one Invoiced list) in one phase, on one API. */
export interface ReadKind {
  readonly kind: string;
  readonly requests: number;
  /** Rows the answers held in all. */
  readonly rows: number;
  /**
   * Invoiced lists only: the highest `page` read, i.e. the pages of the longest single list of this kind
   * (its pages are read one after another, each by the `Link: next` of the one before).
   */
  readonly pages?: number;
}

/** What one API saw of one phase, counted by the child's fetch. */
export interface ApiTraffic {
  /** Every request sent, 429s and retries included. */
  readonly requests: number;
  readonly tooManyRequests: number;
  /** Answers other than 2xx and 429. */
  readonly failed: number;
  readonly reads: readonly ReadKind[];
  /** Write requests sent (429s and retries included). */
  readonly writes: number;
  /**
   * Records written: successful writes, each record once (creates counted one by one; an update, upsert,
   * void or delete of the same path counted once; idempotent replays not counted).
   */
  readonly recordsWritten: number;
  /**
   * Writes the service refused with a 4xx other than 429 (a record it will not take as it is, a record gone):
   * the engine learns of the refusal only by trying.
   */
  readonly refusedWrites: number;
}

/** One phase of a run (or the whole baseline), as the child measured it. */
export interface PhaseTraffic {
  readonly phase: string;
  /** From `phase_started` to `phase_finished` (outside phases: the scenario's time no phase covered). */
  readonly wallMs: number;
  /** When the phase started and finished, in ms from the scenario's start (phases may overlap). */
  readonly startMs: number;
  readonly endMs: number;
  readonly apis: Readonly<Record<Api, ApiTraffic>>;
}

/** Record errors of one entity, direction and code in one scenario. */
export interface RecordErrorKind {
  readonly entity: string;
  readonly direction: string;
  readonly code: string;
  readonly count: number;
  /** The first of their messages. */
  readonly example: string;
}

/** What a child sends back. */
export type ChildResult =
  | {
      readonly ok: true;
      readonly scenario: ScenarioName;
      /** The build of `@invoiced/netsuite-sync` the child loaded ({@link buildOf}). */
      readonly engineBuild: string;
      /** From the call (sync, import, baseline) to its result. */
      readonly wallMs: number;
      /** The run's (or job's) status. */
      readonly status: string;
      readonly counts: Readonly<Record<string, number>>;
      readonly recordErrors: number;
      /** The record errors by entity, direction and code, with the first message of each (from the engine's `record_failed` events). */
      readonly recordErrorKinds: readonly RecordErrorKind[];
      /** Records skipped, by `<entity>: <reason>` (digits in the reason shown as `n`). */
      readonly skipped: Readonly<Record<string, number>>;
      readonly phases: readonly PhaseTraffic[];
      /** CPU the child spent from the start of the measurement to the result (it runs on one thread: near wallMs means CPU-bound). */
      readonly cpuMs: number;
      /** RSS once the store was loaded, and the most the process held from then until the result (see memory.ts). */
      readonly memory: {
        readonly rssAtStartMb: number;
        readonly peakRssMb: number;
        readonly method: 'VmHWM' | 'sampled';
        /** The largest V8 heap and the most memory outside it (buffers) sampled during the run. */
        readonly peakHeapTotalMb: number;
        readonly peakExternalMb: number;
        /** V8 heap in use after a full GC, before and after the run: what it keeps, as against what it churns. */
        readonly heapAtStartMb: number;
        readonly heapAfterGcMb: number;
      };
      /** Records waiting in the retry queue when the scenario started, and how many were ignored just before (unchanged-steady). */
      readonly retryQueue: { readonly pending: number; readonly ignoredFirst: number };
      /** Baseline only, when it stopped early: how many open invoices it processed, of how many, and the time it took to list them. */
      readonly sample?: { readonly processed: number; readonly total: number; readonly listingMs: number; readonly listingRequests: Readonly<Record<Api, number>> };
    }
  | { readonly ok: false; readonly scenario: ScenarioName; readonly error: string };

/** A short hash of the built module a package name resolves to here: which build of it a process ran. */
export function buildOf(specifier: string): string {
  try {
    return createHash('sha256').update(readFileSync(fileURLToPath(import.meta.resolve(specifier)))).digest('hex').slice(0, 12);
  } catch {
    return 'unknown';
  }
}

/** Bytes to megabytes, one decimal. */
export const megabytes = (bytes: number): number => Math.round(bytes / 104_857.6) / 10;
