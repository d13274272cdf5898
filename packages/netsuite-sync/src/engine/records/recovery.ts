/**
 * Finding, before a create on Invoiced, a record that is already there without a link: one created by an
 * earlier attempt whose answer or link was lost (a crash, a lost response), or one made before this
 * connection's first sync. Looking for every record before creating it would double the requests of a
 * sync, so the phases look only where such a record can be:
 *
 * - on a phase's first run and in import jobs (records may predate the connection): Invoiced's list is
 *   read once, when first needed (or ahead of need: `warm`), and kept as an index for the run; a list
 *   still being read when the run's work is over stops being read then (`PhaseRun.readAhead`);
 * - afterwards, only for records with an item in the retry queue. Before each create the phase writes
 *   one (`WRITE_UNCONFIRMED`) unless the record already has one, and the create's success removes it, so
 *   a create whose outcome is unknown always leaves an item behind: the next run reads that record again
 *   and looks for it before writing.
 */
import { createHash } from 'node:crypto';
import type { InvoicedCreditNote, InvoicedInvoice, InvoicedPayment } from '../../invoiced/schemas';
import type { Direction, EntityKind, RetryItem } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { retryKey } from '../run/failures';

/** Finds records already on Invoiced by a key: the NetSuite ID of invoices, the reference of payments. */
interface Finder {
  /** Every record's key, read once (a scan), as long as `signal` lets it. */
  scan(signal: AbortSignal): AsyncIterable<{ id: number; key: string | undefined }>;
  /** One record by its key (a look-up). */
  lookUp(key: string): Promise<number | undefined>;
}

const DUPLICATE = -1;

/** The code of the retry item a create leaves before it is sent, until its outcome is known. */
export const WRITE_UNCONFIRMED = 'WRITE_UNCONFIRMED';

/**
 * Codes of a record's last write that Invoiced refused: answered with a 4xx other than 429, which nothing
 * was written for and which Invoiced keeps as the key's answer. After any other failure the next create
 * keeps the key: its outcome may be unknown (a timeout, a lost connection, an answer that could not be read:
 * the record may be there, and Invoiced answers a repeat with the write it made), or its answer was not
 * kept (a 429) or is retried with a new key by the client anyway (a 5xx).
 */
const REFUSALS: ReadonlySet<string> = new Set(['INVOICED_INVALID_REQUEST', 'INVOICED_NOT_FOUND', 'INVOICED_PERMISSION_DENIED', 'INVOICED_API_ERROR', 'CREDIT_APPLICATION_REFUSED']);

/**
 * The `Idempotency-Key` of a create on Invoiced: `base` (the record and its content), unless the record's
 * retry item says its last write was answered with a refusal. Invoiced keeps the first answer to a key for
 * 24 hours, failures included, and replays it to any repeat: once a key was refused, a create with it
 * would be refused again whatever changed since (the invoice a payment applies to updated, a number freed).
 * A refused key is never sent again: each refusal, as the retry item keeps it (its time, attempts and
 * code), gives the next create a key of its own, kept while the outcome of a create with it is unknown.
 */
export function createKey(base: string, item: RetryItem | null): string {
  if (item === null || !REFUSALS.has(item.lastError.code)) return base;
  const refusal = createHash('sha256').update(`${item.updatedAt}|${item.attempts}|${item.lastError.code}`).digest('hex').slice(0, 10);
  return `${base}-r${refusal}`;
}

/** {@link createKey} for a create that a NetSuite record's retry item governs, read for it. */
export async function recordCreateKey(context: Pick<PhaseRun, 'retryItem'>, record: { entity: EntityKind; sourceId: string }, base: string): Promise<string> {
  return createKey(base, await context.retryItem(retryKey('netsuite_to_invoiced', record.entity, record.sourceId)));
}

/** Recovery of unlinked records of one kind for one run of a phase. */
export class InvoicedRecovery {
  #index: Promise<Map<string, number>> | undefined;
  /** A record's retry item (null: none), as `find` read it, so that `beforeCreate` need not read it again. */
  readonly #queued = new Map<string, RetryItem | null>();

  private constructor(
    private readonly context: PhaseRun,
    private readonly record: { direction: Direction; entity: EntityKind },
    private readonly finder: Finder,
    /** Whether the run scans the whole list (a first run, an import) rather than looking up queued records. */
    private readonly scanAll: boolean,
  ) {}

  /** Invoices found by `metadata.netsuite_id`. */
  static invoices(context: PhaseRun, deps: PhaseDeps, options: { scanAll: boolean }): InvoicedRecovery {
    const signal = context.signal;
    return new InvoicedRecovery(
      context,
      { direction: 'netsuite_to_invoiced', entity: 'invoice' },
      {
        scan: (reading) => mapRecords(deps.invoiced.invoices.list({ signal: reading }), (invoice: InvoicedInvoice) => metadataText(invoice.metadata.netsuite_id)),
        lookUp: async (netsuiteId) => (await deps.invoiced.invoices.findByNetsuiteId(netsuiteId, { signal }))?.id,
      },
      options.scanAll,
    );
  }

  /** Credit notes found by `metadata.netsuite_id`. */
  static creditNotes(context: PhaseRun, deps: PhaseDeps, options: { scanAll: boolean }): InvoicedRecovery {
    const signal = context.signal;
    return new InvoicedRecovery(
      context,
      { direction: 'netsuite_to_invoiced', entity: 'creditNote' },
      {
        scan: (reading) => mapRecords(deps.invoiced.creditNotes.list({ signal: reading }), (note: InvoicedCreditNote) => metadataText(note.metadata.netsuite_id)),
        lookUp: async (netsuiteId) => (await deps.invoiced.creditNotes.findByNetsuiteId(netsuiteId, { signal }))?.id,
      },
      options.scanAll,
    );
  }

  /** Payments found by their stable reference (the API reference gives payments no metadata); voided ones do not count. */
  static payments(context: PhaseRun, deps: PhaseDeps, options: { scanAll: boolean }): InvoicedRecovery {
    const signal = context.signal;
    return new InvoicedRecovery(
      context,
      { direction: 'netsuite_to_invoiced', entity: 'payment' },
      {
        scan: (reading) => mapRecords(deps.invoiced.payments.list({ signal: reading }), (payment: InvoicedPayment) => (payment.voided === true ? undefined : (payment.reference ?? undefined))),
        lookUp: async (reference) => {
          for await (const existing of deps.invoiced.payments.list({ filter: { reference }, signal })) {
            if (existing.voided !== true && existing.reference === reference) return existing.id;
          }
          return undefined;
        },
      },
      options.scanAll,
    );
  }

  /**
   * The Invoiced record of an unlinked source record, if it is already there. `key` is what the finder
   * matches (the NetSuite ID, or the payment's reference).
   */
  async find(sourceId: string, key: string): Promise<number | undefined> {
    if (this.scanAll) {
      const found = (await this.#scan()).get(key);
      // Two records with one key: the look-up reports them (a duplicate-match error names both).
      return found === DUPLICATE ? this.finder.lookUp(key) : found;
    }
    const item = await this.context.retryItem(retryKey(this.record.direction, this.record.entity, sourceId));
    const found = item !== null ? await this.finder.lookUp(key) : undefined;
    if (found === undefined) this.#queued.set(sourceId, item);
    return found;
  }

  /**
   * Starts reading the list now, when the run scans it (its first page is read at once, the next as each
   * arrives), so that the phase's first records do not wait for every page of it. A failed read is read
   * again by the first `find`.
   */
  warm(): void {
    if (this.scanAll) this.#scan().catch(() => undefined);
  }

  /**
   * Notes in the retry queue, before a create, that the record's create is under way (unless the record
   * is queued already): if the run stops before the create is confirmed, the next run looks for it.
   * Resolves to the create's `Idempotency-Key`: `baseKey`, or one of its own after a refusal ({@link createKey}).
   */
  async beforeCreate(sourceId: string, number: string | null, fingerprint: string, baseKey: string): Promise<string> {
    const { direction, entity } = this.record;
    const key = retryKey(direction, entity, sourceId);
    const known = this.#queued.get(sourceId);
    this.#queued.delete(sourceId);
    const item = known === undefined ? await this.context.retryItem(key) : known;
    if (item !== null) return createKey(baseKey, item);
    const label = `${entity === 'invoice' ? 'Invoice' : entity === 'creditNote' ? 'Credit memo' : 'Payment'} ${number ?? sourceId}`;
    await this.context.saveRetry({
      key,
      entity,
      direction,
      sourceId,
      number,
      attempts: 0,
      lastError: {
        code: WRITE_UNCONFIRMED,
        message: `${label}: its create was sent to Invoiced, and the sync stopped before Invoiced confirmed it.`,
        resolution: 'Nothing to do: the next run looks for it on Invoiced before writing it, so it is not created twice.',
      },
      status: 'pending',
      fingerprint,
      updatedAt: this.context.now().toISOString(),
    });
    return baseKey;
  }

  #scan(): Promise<Map<string, number>> {
    // Read ahead: a list no record needed by the end of the run stops being read then.
    this.#index ??= this.context.readAhead(async (signal) => {
      const index = new Map<string, number>();
      for await (const { id, key } of this.finder.scan(signal)) {
        if (key === undefined || key === '') continue;
        index.set(key, index.has(key) ? DUPLICATE : id);
      }
      return index;
    });
    // A failed read is not kept: the next record reads the list again.
    this.#index.catch(() => (this.#index = undefined));
    return this.#index;
  }
}

async function* mapRecords<T extends { id: number }>(records: AsyncIterable<T>, key: (record: T) => string | undefined): AsyncIterable<{ id: number; key: string | undefined }> {
  for await (const record of records) yield { id: record.id, key: key(record) };
}

function metadataText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : undefined;
}
