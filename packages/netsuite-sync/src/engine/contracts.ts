/**
 * The engine's contracts: what a phase is, what it works with, the one port its writes go through, and
 * what it reports. A leaf: type imports only, and nothing of the engine but its settings' type. Phases,
 * the run machinery, import jobs and dry runs all import this file; it imports none of them.
 */
import type { InvoicedEvents } from '../invoiced/events';
import type { InvoicedCharges, InvoicedRefunds } from '../invoiced/payment-processing';
import type { InvoicedCreditNotes, InvoicedCustomers, InvoicedInvoices, InvoicedPayments } from '../invoiced/resources';
import type {
  InvoicedCreditNoteCreate,
  InvoicedCreditNoteInput,
  InvoicedCustomerCreate,
  InvoicedCustomerInput,
  InvoicedInvoiceCreate,
  InvoicedInvoiceInput,
  InvoicedPaymentCreate,
  InvoicedPaymentInput,
} from '../invoiced/inputs';
import type { InvoicedCustomer } from '../invoiced/schemas';
import type { NetSuiteClient } from '../netsuite/client';
import type { NetSuiteSublistOf } from '../netsuite/schemas';
import type { MappedRecordType } from '../mapping/field-mapping-schemas';
import type { Direction, EntityKind, RecordError, RetryItem, SyncStore } from '../store/sync-store';
import type { SyncSettings } from './settings';

/** What the phases read from NetSuite: SuiteQL only. A `NetSuiteClient` is one. */
export type NetSuiteReader = Pick<NetSuiteClient, 'suiteql' | 'suiteqlAll'>;

/** What the phases read from Invoiced. An `InvoicedClient` is one. */
export interface InvoicedReader {
  readonly customers: Pick<InvoicedCustomers, 'retrieve' | 'list' | 'findByNetsuiteId'>;
  readonly invoices: Pick<InvoicedInvoices, 'retrieve' | 'list' | 'listNonDraftUpdatedAfter' | 'findByNetsuiteId'>;
  readonly payments: Pick<InvoicedPayments, 'retrieve' | 'list'>;
  readonly creditNotes: Pick<InvoicedCreditNotes, 'retrieve' | 'list' | 'listNonDraftUpdatedAfter' | 'findByNetsuiteId'>;
  readonly refunds: Pick<InvoicedRefunds, 'list' | 'retrieve'>;
  readonly charges: Pick<InvoicedCharges, 'retrieve'>;
  readonly events: Pick<InvoicedEvents, 'list'>;
}

/** Options of a write through the {@link SyncWriter}. */
export interface PortWriteOptions {
  readonly signal: AbortSignal | undefined;
}

/** Options of a create on Invoiced: its idempotency key, kept after a lost answer (see `InvoicedWriteOptions`). */
export interface KeyedWriteOptions extends PortWriteOptions {
  readonly idempotencyKey: string;
}

/** What a customer create answers: the fields the phases read back. */
export type CreatedInvoicedCustomer = Pick<InvoicedCustomer, 'id' | 'name' | 'number' | 'type' | 'email' | 'phone' | 'currency' | 'metadata'>;

/** The NetSuite record types the sync writes, and those it deletes. */
export type NetSuiteWrittenType = 'customer' | 'invoice' | 'customerPayment' | 'creditMemo' | 'customerRefund';
export type NetSuiteDeletedType = 'invoice' | 'customerPayment' | 'creditMemo' | 'customerRefund';

/**
 * Every write a phase makes, to either service: the write port. A real run writes through the clients
 * (`client-writer.ts`); a dry run through a planning writer that records each write and answers it with
 * placeholders (`dry-run/planning-writer.ts`). Phases read through {@link NetSuiteReader} and
 * {@link InvoicedReader}, which have no write method, so a new kind of write is a new method here: both
 * writers must implement it before the package compiles.
 */
export interface SyncWriter {
  readonly invoiced: {
    createCustomer(body: InvoicedCustomerCreate, options: KeyedWriteOptions): Promise<CreatedInvoicedCustomer>;
    updateCustomer(id: number, fields: InvoicedCustomerInput, options: PortWriteOptions): Promise<void>;
    createInvoice(body: InvoicedInvoiceCreate, options: KeyedWriteOptions): Promise<{ readonly id: number }>;
    updateInvoice(id: number, changes: InvoicedInvoiceInput, options: PortWriteOptions): Promise<void>;
    /** `POST /invoices/{id}/void`. */
    voidInvoice(id: number, options: PortWriteOptions): Promise<void>;
    createPayment(body: InvoicedPaymentCreate, options: KeyedWriteOptions): Promise<{ readonly id: number }>;
    updatePayment(id: number, changes: InvoicedPaymentInput, options: PortWriteOptions): Promise<void>;
    /** `DELETE /payments/{id}`, Invoiced's void of a payment. */
    voidPayment(id: number, options: PortWriteOptions): Promise<void>;
    createCreditNote(body: InvoicedCreditNoteCreate, options: KeyedWriteOptions): Promise<{ readonly id: number }>;
    updateCreditNote(id: number, changes: InvoicedCreditNoteInput, options: PortWriteOptions): Promise<void>;
    /** `POST /credit_notes/{id}/void`. */
    voidCreditNote(id: number, options: PortWriteOptions): Promise<void>;
  };
  readonly netsuite: {
    /** An upsert by external ID; `replace` names the sublists the body carries in full. Answers the record's internal ID when NetSuite gave it. */
    upsert(
      type: NetSuiteWrittenType,
      externalId: string,
      body: Record<string, unknown>,
      options: PortWriteOptions & { readonly replace?: readonly NetSuiteSublistOf<NetSuiteWrittenType>[] },
    ): Promise<{ readonly id: string | undefined }>;
    delete(type: NetSuiteDeletedType, id: string, options: PortWriteOptions): Promise<void>;
  };
}

/** What a phase works with. */
export interface PhaseDeps {
  readonly netsuite: NetSuiteReader;
  readonly invoiced: InvoicedReader;
  /** The only way to write to either service. */
  readonly writer: SyncWriter;
  readonly settings: SyncSettings;
  readonly store: SyncStore;
  readonly connectionId: string;
  /** The user's hook run after the field mappings on every body written (see `FieldTransform`). */
  readonly transform?: FieldTransform | undefined;
  /** Set by a dry run: nothing is written (the `transform` hook is told). */
  readonly dryRun?: boolean | undefined;
  /** The records this run was asked to sync by ID (inbox events, `syncRecords()`); set per run. */
  readonly targets?: RunTargets | undefined;
}

/** The records a run was asked to sync by ID (implemented by `records/targets.ts`). */
export interface RunTargets {
  /** The run syncs these records and nothing else: the phases neither read nor move their cursors. */
  readonly only: boolean;
  /** The Invoiced IDs of one kind to sync, each once. */
  take(entity: EntityKind): Promise<string[]>;
  /** Events were added to the inbox: the next `take` reads it again. */
  refresh(): void;
}

/**
 * What a write did to a record on its target side: `create`, `update`, `void` (on Invoiced), `delete` (in
 * NetSuite); `link` paired it with a record already there and wrote nothing; `none` changed only the
 * sync's own link.
 */
export type RecordChange = 'create' | 'update' | 'link' | 'void' | 'delete' | 'none';

/** A record a phase handled with success: what it did, to which record, and why. */
export interface RecordOutcome {
  readonly direction: Direction;
  readonly entity: EntityKind;
  /** The record's ID on the side it comes from. */
  readonly sourceId: string;
  /** The record as a person knows it (invoice #, customer name, payment reference), when known. */
  readonly number: string | null;
  /** Its counterpart's ID (for a create in a dry run, the placeholder the planning writer gave it). */
  readonly targetId: string;
  /** How Recent Syncs counts it (`invoices_created`, `payments_linked`...). */
  readonly action: 'created' | 'updated' | 'linked';
  readonly change: RecordChange;
  /** Why, for a person: `new open invoice`, `changed in NetSuite`, `matched by name to Invoiced customer #12`... */
  readonly reason: string;
}

/** What the engine reports while it works. */
export type SyncEvent =
  | { type: 'run_started'; runId: string; trigger: string }
  | { type: 'phase_started'; runId: string; phase: string }
  | {
      type: 'phase_finished';
      runId: string;
      phase: string;
      /** The run's counts so far: with phases side by side, those of the phases beside this one too. */
      counts: Readonly<Record<string, number>>;
      /** What this phase itself counted (records synced, skipped, failed; rows read). */
      phaseCounts: Readonly<Record<string, number>>;
    }
  | ({ type: 'record_synced'; runId: string } & RecordOutcome)
  | { type: 'record_skipped'; runId: string; entity: EntityKind; direction: Direction; sourceId: string; number: string | null; reason: string }
  | { type: 'record_failed'; runId: string; error: RecordError }
  | { type: 'run_finished'; runId: string; status: string; counts: Readonly<Record<string, number>> };

/** The part of a run a phase sees (implemented by `run/run-context.ts`). */
export interface PhaseRun {
  readonly runId: string;
  readonly connectionId: string;
  /** Aborted when the run is cancelled or loses its lease. */
  readonly signal: AbortSignal | undefined;
  now(): Date;
  readonly counts: Readonly<Record<string, number>>;
  readonly failedRecords: number;
  count(name: string, by?: number): void;
  /** Throws the abort reason if the run was cancelled: called between records. */
  checkpoint(): void;
  /** A record went through: its retry item, if any, is done. */
  succeeded(outcome: RecordOutcome): Promise<void>;
  /** A record was seen and needs nothing: its retry item, if any, is done (unless `keepRetry`). */
  skipped(record: { direction: Direction; entity: EntityKind; sourceId: string; number: string | null }, reason: string, options?: { keepRetry?: boolean }): Promise<void>;
  /** A record failed: recorded on the run and in the retry queue; a whole-run failure or a cancellation is rethrown. */
  failed(record: { direction: Direction; entity: EntityKind; sourceId: string; number: string | null }, error: unknown, fingerprint: string | null): Promise<void>;
  /** Writes the record errors gathered since the last flush to the run. */
  flushErrors(): Promise<void>;
  /**
   * Resolves once a deferred record may be handed again: one of `wait.phases` has settled in this run (at
   * once when none of them is running), a phase of this run saved a link of `wait.link.kind` with one of
   * its `invoicedIds` (at once, after a look, if one is there already), or `stop` is aborted. Once it
   * resolves, nothing it waited on holds anything of it, however long those phases still run. Never name a
   * phase that runs after the caller's own.
   */
  mayGoOn(wait: { phases: readonly string[]; link?: { kind: EntityKind; invoicedIds: readonly string[] } }, stop: AbortSignal): Promise<void>;
  /**
   * Resolves once every named phase has settled in this run (at once for a phase the run does not have):
   * for a phase that starts with the run to read ahead, and handles its records once the phases whose
   * links they rely on are done. Never name a phase that runs after the caller's own.
   */
  phasesSettled(names: readonly string[]): Promise<void>;
  /** Those of the named phases that run in this run and have not settled yet. */
  phasesRunning(names: readonly string[]): string[];
  /**
   * Starts a read the run does ahead of need (a list read page by page into an index its records look
   * things up in): `read` gets a signal that is aborted when the run is cancelled or its work is over, and
   * the run ends only once the read has settled. Resolves as `read` does.
   */
  readAhead<T>(read: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * The phase `name` has handled every record it can handle now; what is left waits for other phases. A
   * phase that runs after `<name>:ready` starts then (or when `name` settles, if it never says so).
   */
  markReady(name: string): void;
  /**
   * The retry queue as the run sees it: read from the store once (when first needed), then kept current by
   * the run's own writes, which go through {@link saveRetry} and {@link deleteRetry}. Items a person ignores
   * or retries while the run runs are seen by the next run.
   */
  retryItem(key: string): Promise<RetryItem | null>;
  /** The queue's items, or those of one status. */
  retryItems(status?: RetryItem['status']): Promise<RetryItem[]>;
  saveRetry(item: RetryItem): Promise<void>;
  deleteRetry(key: string): Promise<void>;
}

/** One phase of an accounting sync. */
export interface Phase {
  /** Also the name of its cursor. */
  readonly name: string;
  /** The kind of Invoiced record it syncs by ID in a targeted run; a phase without one does not run there. */
  readonly targets?: EntityKind;
  /**
   * The phases that must have finished before this one starts, when they run in the same run: those whose
   * links, reads or writes it relies on (see `phases/index.ts`); `<phase>:ready` waits only until that phase
   * has handled what it could handle at once ({@link PhaseRun.markReady}). Phases that do not name each
   * other, directly or through others, run at the same time.
   */
  readonly after: readonly string[];
  enabled(settings: SyncSettings): boolean;
  run(run: PhaseRun, deps: PhaseDeps): Promise<void>;
}

/** What a {@link FieldTransform} is told about the record. */
export interface FieldTransformContext {
  /**
   * The NetSuite record type (`customer`, `invoice`, `creditMemo`, `customerPayment`, `customerRefund`).
   * With `direction` `netsuite_to_invoiced`, the record is the Invoiced body built from a NetSuite
   * customer, invoice or credit memo.
   */
  readonly type: MappedRecordType;
  /** `invoiced_to_netsuite`: `record` is a NetSuite REST body; `netsuite_to_invoiced`: an Invoiced body. */
  readonly direction: Direction;
  /** The record it was built from: the Invoiced record as read, or the NetSuite SuiteQL row. Do not change it. */
  readonly source: Readonly<Record<string, unknown>>;
  /** The connection the run belongs to. */
  readonly connectionId: string;
  /** Whether the run is a dry run (nothing will be written). */
  readonly dryRun: boolean;
}

/**
 * Runs after the field mappings on every body the sync writes: returns the body to write (the same object,
 * changed, or a new one). It may add or change fields; it must keep the sync's own keys as they are (the
 * external ID of a NetSuite body, `metadata.netsuite_id` of an Invoiced body). A throw, or a result that is
 * not an object or changes those keys, is that record's error (`FIELD_TRANSFORM_FAILED`,
 * `FIELD_TRANSFORM_INVALID`); the run goes on. It should be a pure function of its arguments: the sync
 * compares what it builds with what it wrote last to tell whether a record changed.
 * @example
 * const transform: FieldTransform = (record, { type, direction }) =>
 *   type === 'invoice' && direction === 'invoiced_to_netsuite' ? { ...record, memo: `Synced from Invoiced` } : record;
 */
export type FieldTransform = (record: Record<string, unknown>, context: FieldTransformContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
