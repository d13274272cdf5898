/**
 * Hands a connection's state from one child process to the next: what the engine reads back from its
 * store (links, cursors, the retry queue, import checkpoints) written as NDJSON through the `SyncStore`
 * interface, and read back into a new store (memory or SQLite: `--store`) line by line. Runs (Recent
 * Syncs) are not carried: the engine never reads them to sync.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EntityKind, ImportCheckpoint, RetryItem, SyncLink, SyncStore } from '@invoiced/netsuite-sync';
import { z } from 'zod';

const KINDS: readonly EntityKind[] = ['customer', 'invoice', 'payment', 'creditNote', 'refund'];
/** The sync's phases (each names its cursor) and the import jobs the bench starts. */
export const CURSOR_NAMES = [
  'netsuite_invoices',
  'netsuite_credit_memos',
  'netsuite_payments',
  'netsuite_deletions',
  'invoiced_invoices',
  'invoiced_credit_notes',
  'invoiced_payments',
  'invoiced_refunds',
] as const;
export const JOB_IDS = { customers: 'bench-import-customers', invoices: 'bench-import-invoices' } as const;

const entity = z.enum(['customer', 'invoice', 'payment', 'creditNote', 'refund']);
const lineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('link'),
    link: z.object({ kind: entity, invoicedId: z.string(), netsuiteId: z.string(), origin: z.enum(['netsuite', 'invoiced']), fingerprint: z.string().nullable() }),
  }),
  z.object({ type: z.literal('cursor'), name: z.string(), value: z.string() }),
  z.object({ type: z.literal('retry'), item: z.custom<RetryItem>((value) => typeof value === 'object' && value !== null && typeof (value as RetryItem).key === 'string') }),
  z.object({ type: z.literal('checkpoint'), checkpoint: z.custom<ImportCheckpoint>((value) => typeof value === 'object' && value !== null && typeof (value as ImportCheckpoint).jobId === 'string') }),
]);
type Line = z.infer<typeof lineSchema>;

/** Writes the connection's state to `file`. */
export async function saveSnapshot(store: SyncStore, connectionId: string, file: string): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: Line) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  for (const kind of KINDS) {
    for (const { updatedAt: _updatedAt, ...link } of await store.listLinks(connectionId, kind)) await write({ type: 'link', link });
  }
  for (const name of CURSOR_NAMES) {
    const value = await store.getCursor(connectionId, name);
    if (value !== null) await write({ type: 'cursor', name, value });
  }
  for (const item of await store.listRetries(connectionId)) await write({ type: 'retry', item });
  for (const jobId of Object.values(JOB_IDS)) {
    const checkpoint = await store.getCheckpoint(connectionId, jobId);
    if (checkpoint !== null) await write({ type: 'checkpoint', checkpoint });
  }
  out.end();
  await once(out, 'finish');
}

/** Loads a state written by {@link saveSnapshot} into `store`; resolves to the links loaded. */
export async function loadSnapshot(store: SyncStore, connectionId: string, file: string): Promise<number> {
  let links = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.trim() === '') continue;
    const line = lineSchema.parse(JSON.parse(text));
    switch (line.type) {
      case 'link':
        await store.saveLink(connectionId, line.link satisfies Omit<SyncLink, 'updatedAt'>);
        links += 1;
        break;
      case 'cursor':
        await store.setCursor(connectionId, line.name, line.value);
        break;
      case 'retry':
        await store.saveRetry(connectionId, line.item);
        break;
      case 'checkpoint':
        await store.saveCheckpoint(connectionId, line.checkpoint);
        break;
    }
  }
  return links;
}
