/**
 * What the phases share: reading their input in batches or with their retries, reading SuiteQL values,
 * deciding that a record needs nothing, and the errors of matching a customer by name.
 */
import { ApiError } from '../errors';
import { MappingError } from '../mapping/index';
import type { Direction, EntityKind, RetryItem, Side, SyncLink } from '../store/sync-store';
import { forEachConcurrently } from './concurrent';
import type { PhaseDeps } from './phases';
import { retryKey, type RunContext } from './run-context';

/** A SuiteQL value (text, or a number in some releases) as text; `''` for anything else. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

/**
 * Whether a mapped record needs no write: a person ignored it and it has not changed since, or its link
 * says it was last synced with the same content. Reports the skip when it does.
 */
export async function skipUnchanged(
  context: RunContext,
  deps: PhaseDeps,
  record: { direction: Direction; entity: EntityKind; sourceId: string; link: SyncLink | null; fingerprint: string },
): Promise<boolean> {
  const { direction, entity, sourceId, link, fingerprint } = record;
  const queued = await deps.store.getRetry(deps.connectionId, retryKey(direction, entity, sourceId));
  if (queued?.status === 'ignored' && queued.fingerprint === fingerprint) {
    context.skipped(direction, entity, sourceId, 'ignored until it changes');
    return true;
  }
  if (link !== null && link.fingerprint === fingerprint) {
    // A pending item of a record synced as it is now is left over (a run stopped between the link and
    // the item's removal): nothing is left to retry.
    if (queued?.status === 'pending') await deps.store.deleteRetry(deps.connectionId, queued.key);
    context.skipped(direction, entity, sourceId, 'unchanged');
    return true;
  }
  return false;
}

const sideName = (side: Side) => (side === 'netsuite' ? 'NetSuite' : 'Invoiced');
const label = (side: Side, id: string) => (side === 'invoiced' ? `#${id}` : id);

/** An invoice's customer matches several customers on the other side by name: never a guess. */
export function ambiguousCustomer(invoiceNumber: string, name: string, among: Side, match: { ids: readonly string[]; names: readonly string[] }): MappingError {
  const listed = match.ids.map((id, index) => `${label(among, id)} "${match.names[index] ?? ''}"`).join(', ');
  return new MappingError(
    'AMBIGUOUS_CUSTOMER',
    `Invoice ${invoiceNumber}: customer "${name}" matches ${match.ids.length} ${sideName(among)} customers (${listed}).`,
    among === 'invoiced'
      ? 'Customers are matched by name. Rename or merge the duplicates on Invoiced (or set metadata.netsuite_id on the right one), then retry the invoice.'
      : 'Customers are matched by name. Rename or merge the duplicates in NetSuite, then retry the invoice.',
    invoiceNumber,
  );
}

/** The customer matched by name is already linked to another customer of the invoice's side. */
export function customerAlreadyLinked(
  invoiceNumber: string,
  customer: { side: Side; id: string; name: string },
  matched: string,
  linkedTo: string,
): MappingError {
  const other: Side = customer.side === 'netsuite' ? 'invoiced' : 'netsuite';
  return new MappingError(
    'CUSTOMER_ALREADY_LINKED',
    `Invoice ${invoiceNumber}: ${sideName(customer.side)} customer "${customer.name}" (${label(customer.side, customer.id)}) matches ${sideName(other)} customer ${label(other, matched)} by name, which is already linked to ${sideName(customer.side)} customer ${label(customer.side, linkedTo)}.`,
    `Two ${sideName(customer.side)} customers have the same name. Rename or merge one of them${customer.side === 'netsuite' ? ' in NetSuite' : ' on Invoiced'}, then retry the invoice.`,
    invoiceNumber,
  );
}

/** The retry items waiting in one direction for one kind of record. */
export async function pendingRetries(deps: PhaseDeps, direction: Direction, entity: EntityKind): Promise<RetryItem[]> {
  const items = await deps.store.listRetries(deps.connectionId, { status: 'pending' });
  return items.filter((item) => item.direction === direction && item.entity === entity);
}

/**
 * Hands streamed rows to `handle` in batches of `size`. With `ahead: 0` (the default) one batch is handled
 * at a time; with `ahead: 1` the next batch starts (its own reads, then its records) while the previous
 * one finishes, so a phase does not wait at each batch's end. At most `ahead + 1` batches are held. Stops
 * at the first batch that fails, once the others started have settled. Resolves to the rows read.
 */
export async function inBatches<T>(rows: AsyncIterable<T>, size: number, handle: (batch: T[]) => Promise<void>, options: { ahead?: number } = {}): Promise<number> {
  let read = 0;
  async function* batches(): AsyncIterable<T[]> {
    let batch: T[] = [];
    for await (const row of rows) {
      read += 1;
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  // Cancellation is the handlers' and the row source's to notice: batches have no checkpoint of their own.
  await forEachConcurrently({ checkpoint: () => undefined }, batches(), (options.ahead ?? 0) + 1, handle);
  return read;
}

/**
 * Handles each changed Invoiced record, then each waiting retry that was not among them (read by ID; a
 * failed read is that record's failure), `limit` records at a time. Resolves to the changed records read.
 */
export async function changedThenPending<T extends { id: number }>(
  context: RunContext,
  input: {
    changed: AsyncIterable<T>;
    pending: readonly RetryItem[];
    retrieve: (id: number) => Promise<T>;
    handle: (record: T) => Promise<void>;
    limit: number;
  },
): Promise<number> {
  const handled = new Set<number>();
  await forEachConcurrently(context, input.changed, input.limit, (record) => {
    handled.add(record.id);
    return input.handle(record);
  });
  const waiting = input.pending.filter((item) => !handled.has(Number(item.sourceId)));
  await forEachConcurrently(context, waiting, input.limit, async (item) => {
    const record = await input.retrieve(Number(item.sourceId)).catch(async (error: unknown) => {
      await context.failed(item.direction, item.entity, item.sourceId, item.number, error, item.fingerprint);
      return undefined;
    });
    if (record !== undefined) await input.handle(record);
  });
  return handled.size;
}

/**
 * Voids an Invoiced invoice (`POST /invoices/{id}/void`) or payment (`DELETE /payments/{id}`, Invoiced's
 * only void of a payment, which takes no idempotency key); one that is already voided (an earlier attempt
 * whose answer or link was lost: Invoiced refuses the repeat with a 400) counts as done.
 */
export async function voidOnInvoiced(deps: PhaseDeps, kind: 'invoice' | 'payment', id: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    if (kind === 'invoice') await deps.invoiced.invoices.void(id, { signal });
    else await deps.invoiced.payments.void(id, { signal });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    const voided = kind === 'invoice' ? (await deps.invoiced.invoices.retrieve(id, { signal })).status === 'voided' : (await deps.invoiced.payments.retrieve(id, { signal })).voided;
    if (!voided) throw error;
  }
}
