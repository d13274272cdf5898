/** The event inbox of the SQLite store: `addEvent`, `listPendingEvents`, `completeEvents`, `pruneEvents`. */
import { compareInboxEvents } from '@invoiced/netsuite-sync';
import type { SyncStore } from '@invoiced/netsuite-sync';
import { eventRow } from './rows';
import type { Statements } from './statements';
import { encodeText } from './text';
import { argumentsOf, parseArguments, parseRows } from './values';

/** How many pending events `listPendingEvents` lists without a `limit`: the contract's default. */
const DEFAULT_EVENT_LIMIT = 1000;

/** How the store runs a statement: on the open database, in a transaction of `mode` (or none). */
export type RunStatements = <T>(operation: string, mode: 'IMMEDIATE' | 'DEFERRED' | 'NONE', work: (sql: Statements) => T) => Promise<T>;
/** `work()`, or a promise rejected with what it threw. */
export type Guard = <T>(work: () => Promise<T>) => Promise<T>;

/** The four inbox methods of the store, on its `run` and `guard`. */
export function inboxMethods(run: RunStatements, guard: Guard): Pick<SyncStore, 'addEvent' | 'listPendingEvents' | 'completeEvents' | 'pruneEvents'> {
  return {
    addEvent: (connectionId, event) => guard(() => {
      const args = parseArguments('addEvent', argumentsOf.addEvent, { connectionId, event });
      const { id, type, entity, sourceId, occurredAt, receivedAt } = args.event;
      return run('addEvent', 'NONE', (sql) =>
        // ON CONFLICT DO NOTHING: a repeated ID, pending or done, changes no column of the stored event.
        Number(sql.addEvent.run(encodeText(args.connectionId), encodeText(id), encodeText(type), entity, encodeText(sourceId), occurredAt, receivedAt).changes) === 1,
      );
    }),
    listPendingEvents: (connectionId, listOptions) => guard(() => {
      const args = parseArguments('listPendingEvents', argumentsOf.listPendingEvents, { connectionId, options: listOptions });
      const limit = Math.max(0, args.options?.limit ?? DEFAULT_EVENT_LIMIT);
      const connection = encodeText(args.connectionId);
      return run('listPendingEvents', 'DEFERRED', (sql) => {
        if (limit === 0) return [];
        const rows = sql.listPendingEvents.all(connection, connection, limit - 1);
        return parseRows(eventRow, rows, 'inbox_events', 'listPendingEvents').sort(compareInboxEvents).slice(0, limit);
      });
    }),
    completeEvents: (connectionId, ids) => guard(() => {
      const args = parseArguments('completeEvents', argumentsOf.completeEvents, { connectionId, ids });
      const connection = encodeText(args.connectionId);
      return run('completeEvents', 'IMMEDIATE', (sql) => {
        for (const id of args.ids) sql.completeEvent.run(connection, encodeText(id));
      });
    }),
    pruneEvents: (connectionId, before) => guard(() => {
      const args = parseArguments('pruneEvents', argumentsOf.pruneEvents, { connectionId, before });
      return run('pruneEvents', 'NONE', (sql) => Number(sql.pruneEvents.run(encodeText(args.connectionId), args.before).changes));
    }),
  };
}
