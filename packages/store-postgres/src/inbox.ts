/**
 * The event inbox of the Postgres store: `addEvent`, `listPendingEvents`, `completeEvents` and
 * `pruneEvents`, on the `<prefix>inbox_events` table (migration 3 of `schema.ts`).
 */
import { compareInboxEvents } from '@invoiced/netsuite-sync';
import type { InboxEvent, SyncStore } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import type { Database } from './database';
import { integer, parseRows } from './rows';
import type { Tables } from './schema';
import { decodeDeep, encodeDeep } from './text-encoding';
import { parseArguments, values } from './values';

/** How many pending events `listPendingEvents` lists without a `limit`: the contract's default. */
const DEFAULT_EVENT_LIMIT = 1000;

/** How the store runs statements: on the open database, driver errors wrapped. */
export type RunOnDatabase = <T>(operation: string, work: (db: Database) => Promise<T>) => Promise<T>;

/** The inbox methods of {@link SyncStore}. */
export type InboxMethods = Pick<SyncStore, 'addEvent' | 'listPendingEvents' | 'completeEvents' | 'pruneEvents'>;

const argumentsOf = {
  addEvent: z.object({ connectionId: values.identifier, event: values.newEvent }),
  listPendingEvents: z.object({ connectionId: values.identifier, options: values.listPendingEventsOptions }),
  completeEvents: z.object({ connectionId: values.identifier, ids: values.eventIds }),
  pruneEvents: z.object({ connectionId: values.identifier, before: values.isoTime }),
};

const eventRow = z
  .object({
    id: z.string(),
    type: z.string(),
    entity: values.entityKind,
    source_id: z.string(),
    occurred_at: z.string(),
    received_at: z.string(),
    status: values.eventStatus,
  })
  .transform((row) =>
    decodeDeep<InboxEvent>({
      id: row.id,
      type: row.type,
      entity: row.entity,
      sourceId: row.source_id,
      occurredAt: row.occurred_at,
      receivedAt: row.received_at,
      status: row.status,
    }),
  );

const countRow = z.object({ count: integer });

/** The statements of the inbox, on the (validated, quoted) table names. Values are always `$n` parameters. */
function inboxStatements({ inboxEvents: t }: Tables) {
  const columns = 'id, type, entity, source_id, occurred_at, received_at, status';
  return {
    // ON CONFLICT DO NOTHING: a repeated ID, pending or done, changes no column of the stored event.
    addEvent: `
      INSERT INTO ${t} (connection_id, id, type, entity, source_id, occurred_at, received_at, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')
      ON CONFLICT (connection_id, id) DO NOTHING
      RETURNING id`,
    // The pending events received no later than the `limit`-th one ($2 is `limit - 1`; all of them when
    // there are fewer). Encoded IDs do not collate as the IDs they stand for, so the caller orders the IDs
    // of events received at the same time and keeps the first `limit`.
    listPendingEvents: `
      SELECT ${columns} FROM ${t}
      WHERE connection_id = $1 AND status = 'pending' AND received_at <= COALESCE((
        SELECT received_at FROM ${t} WHERE connection_id = $1 AND status = 'pending'
        ORDER BY received_at LIMIT 1 OFFSET $2::bigint
      ), received_at)
      ORDER BY received_at, id`,
    // The IDs as a JSON array of (encoded) strings: one statement whatever their number.
    completeEvents: `
      UPDATE ${t} SET status = 'done'
      WHERE connection_id = $1 AND status = 'pending' AND id IN (SELECT json_array_elements_text($2::json))`,
    pruneEvents: `
      WITH removed AS (
        DELETE FROM ${t} WHERE connection_id = $1 AND status = 'done' AND received_at < $2
        RETURNING 1
      )
      SELECT count(*) AS count FROM removed`,
  } as const;
}

/** The four inbox methods of the store, on its `run` and the tables of its location. */
export function inboxMethods(run: RunOnDatabase, tables: Tables): InboxMethods {
  const sql = inboxStatements(tables);
  return {
    addEvent: async (connectionId, event) => {
      const args = encodeDeep(parseArguments('addEvent', argumentsOf.addEvent, { connectionId, event }));
      const { id, type, entity, sourceId, occurredAt, receivedAt } = args.event;
      return run('addEvent', async (db) => (await db.query(sql.addEvent, [args.connectionId, id, type, entity, sourceId, occurredAt, receivedAt])).length === 1);
    },
    listPendingEvents: async (connectionId, listOptions) => {
      const args = encodeDeep(parseArguments('listPendingEvents', argumentsOf.listPendingEvents, { connectionId, options: listOptions }));
      const limit = Math.max(0, args.options?.limit ?? DEFAULT_EVENT_LIMIT);
      if (limit === 0) return [];
      return run('listPendingEvents', async (db) =>
        parseRows(eventRow, await db.query(sql.listPendingEvents, [args.connectionId, limit - 1]), 'inbox_events', 'listPendingEvents')
          .sort(compareInboxEvents)
          .slice(0, limit),
      );
    },
    completeEvents: async (connectionId, ids) => {
      const args = encodeDeep(parseArguments('completeEvents', argumentsOf.completeEvents, { connectionId, ids }));
      if (args.ids.length === 0) return;
      await run('completeEvents', (db) => db.query(sql.completeEvents, [args.connectionId, JSON.stringify(args.ids)]));
    },
    pruneEvents: async (connectionId, before) => {
      const args = encodeDeep(parseArguments('pruneEvents', argumentsOf.pruneEvents, { connectionId, before }));
      return run('pruneEvents', async (db) => parseRows(countRow, await db.query(sql.pruneEvents, [args.connectionId, args.before]), 'inbox_events', 'pruneEvents')[0]?.count ?? 0);
    },
  };
}
