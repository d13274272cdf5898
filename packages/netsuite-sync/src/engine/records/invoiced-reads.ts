/**
 * How every phase that writes Invoiced records to NetSuite reads them: what changed since its cursor, then
 * the records named by ID (retry items, inbox events, `syncRecords()` targets) read one by one. A record
 * named by ID that Invoiced no longer has was deleted there, and is followed as a void is. In a targeted
 * run only the records named by ID are read, with the retry items that wait for another record (a payment
 * for its invoice), events accepted while the phase reads join it, and the phase's cursor is not moved.
 */
import pLimit from 'p-limit';
import type { Direction, EntityKind } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { forEachConcurrently } from '../run/concurrent';
import { RecordDeferred } from '../run/deferred';
import { isInvoicedNotFound } from '../run/failures';
import { pendingRetries } from './outcomes';
import { INBOX_BATCH, waitsForAnotherRecord } from './targets';
import { followInvoicedVoid, type VoidedKind } from './voids';

const DIRECTION: Direction = 'invoiced_to_netsuite';
/** How many times a deferred record is handed again for its link's sake before it waits for its phases alone. */
const WAKE_ROUNDS = 3;

/** A record to read by ID, and what its failure is recorded with. */
interface ByIdItem {
  readonly direction: Direction;
  readonly entity: EntityKind;
  readonly sourceId: string;
  readonly number: string | null;
  readonly fingerprint: string | null;
}

/** What {@link readInvoicedRecords} did. */
export interface InvoicedReads {
  /** Records of the changed list handled. */
  readonly changed: number;
  /** Records read by ID. */
  readonly byId: number;
  /** Whether the phase may move its cursor: it read what changed since it (not a targeted run). */
  readonly moveCursor: boolean;
}

/**
 * Reads one phase's records and hands each to `handle`, `limit` at a time: the changed list first (not in
 * a targeted run), then each record named by ID that was not in it. With `retries: false` the retry
 * queue is not read (a phase whose list is every record).
 */
export async function readInvoicedRecords<T extends { id: number }>(
  run: PhaseRun,
  deps: PhaseDeps,
  input: {
    entity: VoidedKind;
    changed: () => AsyncIterable<T>;
    retrieve: (id: number) => Promise<T>;
    handle: (record: T) => Promise<void>;
    limit: number;
    retries?: boolean;
    /** The skip reason of a record named by ID whose link says it came from NetSuite (read by ID otherwise). */
    fromNetSuite?: string;
    /** Called once every record that could be handled at once has been: only deferred ones are left. */
    ready?: () => void;
  },
): Promise<InvoicedReads> {
  const { entity } = input;
  const only = deps.targets?.only === true;
  const byId = new Map<string, ByIdItem>();
  if (input.retries !== false) {
    for (const item of await pendingRetries(run, DIRECTION, entity)) {
      if (!only || waitsForAnotherRecord(item)) byId.set(item.sourceId, item);
    }
  }
  for (const sourceId of (await deps.targets?.take(entity)) ?? []) {
    if (!byId.has(sourceId)) byId.set(sourceId, { direction: DIRECTION, entity, sourceId, number: null, fingerprint: null });
  }

  // Records that wait for phases running beside this one are handed again, each on its own, as soon as the
  // link it waits for is saved or one of those phases settles: a record whose link was saved goes on while
  // the others still run (its handler decides as when it ran after them); one still missing it waits again,
  // for the phases still running. A record waits only while a phase it names runs, so this ends. Handed
  // again, records take the phase's slots as the others do.
  const slots = pLimit(input.limit);
  const waiting = new Set<Promise<void>>();
  let deferredRecords = 0;
  let failure: { error: unknown } | undefined;
  /** Set when the phase's own reading fails (the run ends): a record that wakes after that is not handed again. */
  let abandoned = false;
  /** Aborted once the phase is abandoned: wakes every deferred record, so that none waits for phases or links that may never come. */
  const abandonment = new AbortController();
  const handle = async (record: T, rounds = 0): Promise<void> => {
    try {
      await input.handle(record);
    } catch (error) {
      if (!(error instanceof RecordDeferred)) throw error;
      if (rounds === 0) deferredRecords += 1;
      // A record woken that waits again at once, round after round, waits for its phases alone from then on.
      const link = rounds < WAKE_ROUNDS ? error.link : undefined;
      const task: Promise<void> = run
        .mayGoOn({ phases: error.after, link }, abandonment.signal)
        .then(() =>
          slots(async () => {
            if (abandoned) return;
            run.checkpoint();
            await handle(record, rounds + 1);
          }),
        )
        .catch((reason: unknown) => {
          failure ??= { error: reason };
        })
        .finally(() => waiting.delete(task));
      waiting.add(task);
    }
  };
  const handled = new Set<string>();
  // The phase settles only once no record of it is being handled: a deferred record handed again may be
  // mid-way (its reads and writes in flight) when the reading fails, and the run must not end, nor its
  // lease be released, while it still writes.
  const settleWaiting = async (): Promise<void> => {
    while (waiting.size > 0) await Promise.all(waiting);
  };
  const abandonOnFailure = <R>(work: Promise<R>): Promise<R> =>
    work.catch(async (error: unknown) => {
      abandoned = true;
      abandonment.abort();
      await settleWaiting();
      throw error;
    });
  if (!only) {
    await abandonOnFailure(
      forEachConcurrently(run, input.changed(), input.limit, (record) => {
        handled.add(String(record.id));
        return slots(() => handle(record));
      }),
    );
  }
  const readById = async (item: ByIdItem): Promise<void> => {
    // A document or payment that came from NetSuite is never written back: its link says so, no read needed.
    if (input.fromNetSuite !== undefined) {
      const link = await deps.store.findLinkByInvoicedId(deps.connectionId, entity, item.sourceId);
      if (link?.origin === 'netsuite') {
        await run.skipped(item, input.fromNetSuite);
        return;
      }
    }
    let record: T;
    try {
      record = await input.retrieve(Number(item.sourceId));
    } catch (error) {
      try {
        if (isInvoicedNotFound(error)) {
          const link = await deps.store.findLinkByInvoicedId(deps.connectionId, entity, item.sourceId);
          await followInvoicedVoid(run, deps, { kind: entity, invoicedId: item.sourceId, label: item.number ?? `#${item.sourceId}`, number: item.number, link, deleted: true });
          return;
        }
        throw error;
      } catch (failure) {
        await run.failed(item, failure, item.fingerprint);
        return;
      }
    }
    await handle(record);
  };
  // In a targeted run, events accepted while a batch was read join the run once it ends, rather than wait
  // for the next run (at most INBOX_BATCH records of a kind per run).
  const seen = new Set(handled);
  let batch: ByIdItem[] = [...byId.values()];
  for (;;) {
    const fresh = batch.filter((item) => !seen.has(item.sourceId) && /^\d{1,18}$/.test(item.sourceId));
    if (fresh.length === 0) break;
    for (const item of fresh) seen.add(item.sourceId);
    await abandonOnFailure(forEachConcurrently(run, fresh, input.limit, (item) => slots(() => readById(item))));
    const targets = deps.targets;
    if (targets?.only !== true || seen.size >= INBOX_BATCH) break;
    targets.refresh();
    batch = (await targets.take(entity)).map((sourceId) => ({ direction: DIRECTION, entity, sourceId, number: null, fingerprint: null }));
  }
  input.ready?.();
  await settleWaiting();
  if (deferredRecords > 0) run.count('records_deferred', deferredRecords);
  if (failure !== undefined) throw failure.error;
  return { changed: handled.size, byId: seen.size - handled.size, moveCursor: !only };
}

