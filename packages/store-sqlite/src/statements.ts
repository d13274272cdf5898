/** The SQL of every store operation (see `schema.ts` for the tables). */
import type { DatabaseSync } from 'node:sqlite';

const LINK_COLUMNS = 'kind, invoiced_id, netsuite_id, origin, fingerprint, updated_at';
const RUN_COLUMNS = 'seq, id, trigger, status, started_at, finished_at, counts, error, record_error_count';
const EVENT_COLUMNS = 'id, type, entity, source_id, occurred_at, received_at, status';
const RETRY_COLUMNS = 'key, entity, direction, source_id, number, attempts, last_error, status, fingerprint, updated_at';

/** The SQL of each operation; prepared once per open database. */
export const SQL = {
  getLease: 'SELECT holder, expires_at FROM leases WHERE connection_id = ?',
  putLease: 'INSERT INTO leases (connection_id, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (connection_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at',
  renewLease: 'UPDATE leases SET expires_at = ? WHERE connection_id = ? AND holder = ? AND expires_at > ?',
  releaseLease: 'DELETE FROM leases WHERE connection_id = ? AND holder = ?',
  getCursor: 'SELECT value FROM cursors WHERE connection_id = ? AND phase = ?',
  setCursor: 'INSERT INTO cursors (connection_id, phase, value) VALUES (?, ?, ?) ON CONFLICT (connection_id, phase) DO UPDATE SET value = excluded.value',
  linkByNetSuiteId: `SELECT ${LINK_COLUMNS} FROM links WHERE connection_id = ? AND kind = ? AND netsuite_id = ?`,
  linkByInvoicedId: `SELECT ${LINK_COLUMNS} FROM links WHERE connection_id = ? AND kind = ? AND invoiced_id = ?`,
  saveLink:
    'INSERT INTO links (connection_id, kind, invoiced_id, netsuite_id, origin, fingerprint, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT (connection_id, kind, invoiced_id) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = excluded.updated_at',
  listLinks: `SELECT ${LINK_COLUMNS} FROM links WHERE connection_id = ? AND kind = ?`,
  startRun: "INSERT INTO runs (connection_id, id, trigger, status, started_at, counts) VALUES (?, ?, ?, 'running', ?, '{}') ON CONFLICT (connection_id, id) DO NOTHING",
  getRun: `SELECT ${RUN_COLUMNS} FROM runs WHERE connection_id = ? AND id = ?`,
  listRuns: `SELECT ${RUN_COLUMNS} FROM runs WHERE connection_id = ? ORDER BY started_at DESC, seq DESC LIMIT ?`,
  listRunsByStatus: `SELECT ${RUN_COLUMNS} FROM runs WHERE connection_id = ? AND status = ? ORDER BY started_at DESC, seq DESC LIMIT ?`,
  recordErrors: 'SELECT error FROM record_errors WHERE run_seq = ? ORDER BY position LIMIT ?',
  // The record errors of the runs whose seqs are in the JSON array ?, counted by code: one query for all
  // the runs of a listing. `->` gives the code's JSON text, so equal codes group together whatever they hold.
  recordErrorCodes: "SELECT run_seq, error -> '$.code' AS code, count(*) AS count FROM record_errors WHERE run_seq IN (SELECT value FROM json_each(?)) GROUP BY run_seq, code",
  addRecordError: 'INSERT INTO record_errors (run_seq, position, error) VALUES (?, ?, ?)',
  countRecordErrors: 'UPDATE runs SET record_error_count = ? WHERE seq = ?',
  finishRun: "UPDATE runs SET status = ?, finished_at = ?, counts = ?, error = ? WHERE seq = ? AND status = 'running'",
  saveRetry:
    `INSERT INTO retries (connection_id, ${RETRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (connection_id, key) DO UPDATE SET ` +
    'entity = excluded.entity, direction = excluded.direction, source_id = excluded.source_id, number = excluded.number, attempts = excluded.attempts, ' +
    'last_error = excluded.last_error, status = excluded.status, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at',
  getRetry: `SELECT ${RETRY_COLUMNS} FROM retries WHERE connection_id = ? AND key = ?`,
  listRetries: `SELECT ${RETRY_COLUMNS} FROM retries WHERE connection_id = ?`,
  listRetriesByStatus: `SELECT ${RETRY_COLUMNS} FROM retries WHERE connection_id = ? AND status = ?`,
  deleteRetry: 'DELETE FROM retries WHERE connection_id = ? AND key = ?',
  addEvent:
    "INSERT INTO inbox_events (connection_id, id, type, entity, source_id, occurred_at, received_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending') " +
    'ON CONFLICT (connection_id, id) DO NOTHING',
  // The pending events received no later than the `limit`-th one (the OFFSET is `limit - 1`; all of them
  // when there are fewer): the IDs of the events received at the same time are ordered by the caller,
  // because a TEXT value sorts before every BLOB one, which is not the code point order of the strings.
  listPendingEvents:
    `SELECT ${EVENT_COLUMNS} FROM inbox_events WHERE connection_id = ? AND status = 'pending' AND received_at <= ` +
    "coalesce((SELECT received_at FROM inbox_events WHERE connection_id = ? AND status = 'pending' ORDER BY received_at LIMIT 1 OFFSET ?), received_at) " +
    'ORDER BY received_at',
  completeEvent: "UPDATE inbox_events SET status = 'done' WHERE connection_id = ? AND id = ? AND status = 'pending'",
  pruneEvents: "DELETE FROM inbox_events WHERE connection_id = ? AND status = 'done' AND received_at < ?",
  saveCheckpoint:
    'INSERT INTO checkpoints (connection_id, job_id, kind, status, cursor, processed, total, result, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT (connection_id, job_id) DO UPDATE SET kind = excluded.kind, status = excluded.status, cursor = excluded.cursor, ' +
    'processed = excluded.processed, total = excluded.total, result = excluded.result, updated_at = excluded.updated_at',
  getCheckpoint: 'SELECT job_id, kind, status, cursor, processed, total, result, updated_at FROM checkpoints WHERE connection_id = ? AND job_id = ?',
} as const;

export type Statements = { [K in keyof typeof SQL]: ReturnType<DatabaseSync['prepare']> };
