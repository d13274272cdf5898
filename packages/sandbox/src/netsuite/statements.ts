/**
 * Prepared statements kept per database, by SQL text: the simulator runs the same few hundred statements
 * on every write and read, and compiling each again every time was most of what a write cost.
 *
 * A kept statement is reset by every `run` / `get` / `all`, so using it again gives the same answers as a
 * fresh one; SQLite compiles it again by itself when the schema changes (a shape's custom field columns,
 * the views rebuilt). Only `get`, `all` and `run` may be used on one (no `iterate`, nor a setting such as
 * `setReturnArrays`, that would carry over to the next user). The SQL texts are the code's own, but some
 * carry a table or a filter in their text, so the cache is emptied once it holds `LIMIT` of them.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const LIMIT = 2000;

const kept = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/** The statement for `sql` on `db`, prepared on first use. */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
  let statements = kept.get(db);
  if (statements === undefined) {
    statements = new Map();
    kept.set(db, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (statements.size >= LIMIT) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}
