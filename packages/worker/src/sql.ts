/**
 * Every SQL statement of the worker package, side by side: the registry's migrations, the schedule's
 * claim, pending and running jobs, fleet-wide limit slots, metrics. Identifiers (schema, prefix, pg-boss
 * schema) are checked by `options.ts` and quoted here; values are always parameters.
 *
 * pg-boss's job table is read (never written) through its documented columns (`name`, `id`, `state`,
 * `start_after`): pg-boss's docs/sql/job-table.md.
 */

/** Where the tables are. */
export interface Tables {
  readonly migrations: string;
  readonly connections: string;
  readonly pending: string;
  readonly slots: string;
  readonly fleet: string;
  readonly limits: string;
  /** pg-boss's job table. */
  readonly bossJobs: string;
  /** The quoted schema of the registry. */
  readonly schema: string;
  /** The advisory-lock key of migrations. */
  readonly lockKey: string;
  /** The quoted name of an index of the registry: `"<prefix><name>"`. */
  readonly index: (name: string) => string;
}

const quote = (name: string): string => `"${name}"`;

export function tablesOf(schema: string, prefix: string, bossSchema: string): Tables {
  const table = (name: string) => `${quote(schema)}.${quote(`${prefix}${name}`)}`;
  return {
    schema: quote(schema),
    migrations: table('migrations'),
    connections: table('connections'),
    pending: table('pending_jobs'),
    slots: table('limit_slots'),
    fleet: table('fleet_state'),
    limits: table('limits'),
    bossJobs: `${quote(bossSchema)}.job`,
    lockKey: `netsuite-sync-worker:${schema}.${prefix}`,
    index: (name) => quote(`${prefix}${name}`),
  };
}

/** One migration: applied once, in order, in one transaction. Append only. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (t: Tables) => readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections registry, pending jobs, limit slots, fleet state',
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.connections} (
        id text COLLATE "C" PRIMARY KEY,
        netsuite_account text NOT NULL,
        invoiced_key_id text NOT NULL,
        enabled boolean NOT NULL,
        settings jsonb NOT NULL,
        metadata jsonb NOT NULL,
        every_ms bigint NOT NULL,
        jitter double precision NOT NULL,
        paused boolean NOT NULL,
        next_run_at timestamptz,
        running_job uuid,
        running_kind text,
        running_since timestamptz,
        running_worker text,
        running_trigger text,
        last_kind text,
        last_run_id text,
        last_status text,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_lag_ms bigint,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.index('connections_due_idx')} ON ${t.connections} (next_run_at) WHERE enabled AND NOT paused`,
      `CREATE TABLE IF NOT EXISTS ${t.pending} (
        connection_id text COLLATE "C" NOT NULL REFERENCES ${t.connections} (id) ON DELETE CASCADE,
        kind text NOT NULL,
        job_id uuid NOT NULL,
        trigger text NOT NULL,
        queued_at timestamptz NOT NULL,
        PRIMARY KEY (connection_id, kind)
      )`,
      `CREATE TABLE IF NOT EXISTS ${t.slots} (
        scope text NOT NULL,
        key text COLLATE "C" NOT NULL,
        slot integer NOT NULL,
        holder uuid,
        expires_at timestamptz,
        PRIMARY KEY (scope, key, slot)
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.index('limit_slots_holder_idx')} ON ${t.slots} (holder) WHERE holder IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS ${t.fleet} (key text PRIMARY KEY, at timestamptz NOT NULL)`,
      `INSERT INTO ${t.fleet} (key, at) VALUES ('retention', '-infinity') ON CONFLICT (key) DO NOTHING`,
    ],
  },
  {
    version: 2,
    name: 'fleet-wide limits set per NetSuite account or Invoiced key, and per kind',
    // `key` '' is the default of its scope (no account ID or key name is empty).
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.limits} (
        scope text NOT NULL,
        key text COLLATE "C" NOT NULL,
        runs integer NOT NULL CHECK (runs BETWEEN 1 AND 100),
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`,
    ],
  },
  {
    version: 3,
    name: 'webhook runs: job kind sync_pending and trigger webhook, kinds and triggers checked',
    // The registry's kinds and triggers are checked from here on, so a kind the next version adds comes with
    // a migration of its own, and a worker too old to run it refuses the registry (FLEET_SCHEMA_TOO_NEW)
    // instead of skipping its jobs as unreadable.
    statements: (t) => {
      const kinds = `('sync', 'sync_pending', 'import_invoices', 'import_customers')`;
      const triggers = `('manual', 'auto', 'webhook', 'import')`;
      return [
        `ALTER TABLE ${t.pending} ADD CONSTRAINT ${t.index('pending_jobs_kind_check')} CHECK (kind IN ${kinds}),
          ADD CONSTRAINT ${t.index('pending_jobs_trigger_check')} CHECK (trigger IN ${triggers})`,
        `ALTER TABLE ${t.connections} ADD CONSTRAINT ${t.index('connections_running_kind_check')} CHECK (running_kind IN ${kinds}),
          ADD CONSTRAINT ${t.index('connections_running_trigger_check')} CHECK (running_trigger IN ${triggers}),
          ADD CONSTRAINT ${t.index('connections_last_kind_check')} CHECK (last_kind IN ${kinds})`,
      ];
    },
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

const CONNECTION_COLUMNS = `id, netsuite_account, invoiced_key_id, enabled, settings, metadata, every_ms::text AS every_ms, jitter, paused,
  next_run_at, running_job::text AS running_job, running_kind, running_since, running_worker, running_trigger, last_kind, last_run_id, last_status,
  last_started_at, last_finished_at, last_lag_ms::text AS last_lag_ms, created_at, updated_at`;

/** `1 ± jitter × u` for one connection row `c`, drawn once per row. */
const factor = (c: string) => `(1 + ${c}.jitter * (2 * random() - 1))`;
/** `every × f` as an interval. */
const wait = (c: string, f: string) => `make_interval(secs => ${c}.every_ms / 1000.0 * ${f})`;

export function statements(t: Tables) {
  return {
    createSchema: `CREATE SCHEMA IF NOT EXISTS ${t.schema}`,
    migrationsTable: `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    lock: `SELECT pg_advisory_xact_lock(hashtext($1))`,
    appliedVersions: `SELECT version FROM ${t.migrations} ORDER BY version`,
    recordMigration: `INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`,

    /** $1 id ... ; the first run is due within `every × jitter` (at once with no jitter). */
    insertConnection: `INSERT INTO ${t.connections} AS c (id, netsuite_account, invoiced_key_id, enabled, settings, metadata, every_ms, jitter, paused, next_run_at, created_at, updated_at)
      VALUES ($1::text, $2::text, $3::text, $4::boolean, $5::jsonb, $6::jsonb, $7::bigint, $8::float8, $9::boolean,
        CASE WHEN $4::boolean AND NOT $9::boolean THEN now() + make_interval(secs => $7::bigint / 1000.0 * $8::float8 * random()) END, now(), now())
      ON CONFLICT (id) DO NOTHING
      RETURNING ${CONNECTION_COLUMNS}`,
    selectConnection: `SELECT ${CONNECTION_COLUMNS} FROM ${t.connections} WHERE id = $1`,
    selectConnectionForUpdate: `SELECT ${CONNECTION_COLUMNS} FROM ${t.connections} WHERE id = $1 FOR UPDATE`,
    listConnections: `SELECT ${CONNECTION_COLUMNS} FROM ${t.connections} WHERE ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $1`,
    /** Writes every changeable field; `$10` true reschedules from now (within `every × jitter`). */
    updateConnection: `UPDATE ${t.connections} AS c SET netsuite_account = $2::text, invoiced_key_id = $3::text, enabled = $4::boolean, settings = $5::jsonb, metadata = $6::jsonb,
        every_ms = $7::bigint, jitter = $8::float8, paused = $9::boolean,
        next_run_at = CASE WHEN NOT $4::boolean OR $9::boolean THEN NULL
          WHEN $10::boolean OR c.next_run_at IS NULL THEN now() + make_interval(secs => $7::bigint / 1000.0 * $8::float8 * random())
          ELSE c.next_run_at END,
        updated_at = now()
      WHERE id = $1::text
      RETURNING ${CONNECTION_COLUMNS}`,
    deleteConnection: `DELETE FROM ${t.connections} WHERE id = $1 RETURNING id`,

    /**
     * Claims up to $1 connections due now, moves each one's next run one `every` (± jitter) past the time
     * it was due, or from now when that is already past (a fleet that was down runs a missed round once),
     * and returns the time each was due. Rows another worker is claiming are skipped, so no run is claimed twice.
     */
    claimDue: `WITH due AS (
        SELECT c.id, c.next_run_at AS due_at, ${factor('c')} AS f
        FROM ${t.connections} c
        WHERE c.enabled AND NOT c.paused AND c.next_run_at <= now()
        ORDER BY c.next_run_at
        LIMIT $1::int
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ${t.connections} AS c SET next_run_at = CASE
          WHEN due.due_at + ${wait('c', 'due.f')} > now() THEN due.due_at + ${wait('c', 'due.f')}
          ELSE now() + ${wait('c', 'due.f')} END
      FROM due WHERE c.id = due.id
      RETURNING c.id, due.due_at`,
    /** Of the connections $1, those with a job of kind $2 still waiting or running in pg-boss queue $3. */
    livePending: `SELECT p.connection_id, p.job_id::text AS job_id, p.trigger FROM ${t.pending} p
      WHERE p.connection_id = ANY($1::text[]) AND p.kind = $2::text
        AND EXISTS (SELECT 1 FROM ${t.bossJobs} j WHERE j.name = $3::text AND j.id = p.job_id AND j.state < 'completed')`,
    jobImportId: `SELECT j.data->>'importJobId' AS import_job_id FROM ${t.bossJobs} j WHERE j.name = $1::text AND j.id = $2::uuid`,
    upsertPending: `INSERT INTO ${t.pending} (connection_id, kind, job_id, trigger, queued_at) VALUES ($1::text, $2::text, $3::uuid, $4::text, now())
      ON CONFLICT (connection_id, kind) DO UPDATE SET job_id = EXCLUDED.job_id, trigger = EXCLUDED.trigger, queued_at = EXCLUDED.queued_at`,
    /** Scheduled syncs $2 (job IDs) of connections $1, queued by one tick. */
    upsertPendingSyncs: `INSERT INTO ${t.pending} (connection_id, kind, job_id, trigger, queued_at)
      SELECT c, 'sync', j, 'auto', now() FROM unnest($1::text[], $2::uuid[]) AS u(c, j)
      ON CONFLICT (connection_id, kind) DO UPDATE SET job_id = EXCLUDED.job_id, trigger = EXCLUDED.trigger, queued_at = EXCLUDED.queued_at`,
    takePending: `DELETE FROM ${t.pending} WHERE connection_id = $1::text AND kind = $2::text AND job_id = $3::uuid RETURNING trigger`,
    /** Takes the scheduled sync waiting for connection $1 off the waiting list (a paused or disabled connection). */
    takeAutoSync: `DELETE FROM ${t.pending} WHERE connection_id = $1::text AND kind = 'sync' AND trigger = 'auto' RETURNING job_id::text AS job_id`,
    pendingOf: `SELECT kind, job_id::text AS job_id, trigger, queued_at FROM ${t.pending} WHERE connection_id = $1 ORDER BY kind`,

    setRunning: `UPDATE ${t.connections} SET running_job = $2::uuid, running_kind = $3::text, running_since = now(), running_worker = $4::text, running_trigger = $5::text WHERE id = $1::text RETURNING running_since`,
    /** Ends job $2 of connection $1: clears it as the running job and records the outcome. */
    finishJob: `UPDATE ${t.connections} SET
        running_job = CASE WHEN running_job = $2 THEN NULL ELSE running_job END,
        running_kind = CASE WHEN running_job = $2 THEN NULL ELSE running_kind END,
        running_since = CASE WHEN running_job = $2 THEN NULL ELSE running_since END,
        running_worker = CASE WHEN running_job = $2 THEN NULL ELSE running_worker END,
        running_trigger = CASE WHEN running_job = $2 THEN NULL ELSE running_trigger END,
        last_kind = $3::text, last_run_id = $4::text, last_status = $5::text, last_started_at = $6::timestamptz, last_finished_at = now(),
        last_lag_ms = CASE WHEN $7::bigint IS NULL THEN last_lag_ms ELSE $7::bigint END
      WHERE id = $1::text
      RETURNING last_finished_at`,
    clearRunning: `UPDATE ${t.connections} SET running_job = NULL, running_kind = NULL, running_since = NULL, running_worker = NULL, running_trigger = NULL WHERE id = $1::text AND running_job = $2::uuid`,

    /** The runs at once allowed for key $2 of scope $1: its own limit, else its scope's default. */
    limitSize: `SELECT runs FROM ${t.limits} WHERE scope = $1::text AND key IN ($2::text, '') ORDER BY key = '' LIMIT 1`,
    setLimit: `INSERT INTO ${t.limits} (scope, key, runs, updated_at) VALUES ($1::text, $2::text, $3::int, now())
      ON CONFLICT (scope, key) DO UPDATE SET runs = EXCLUDED.runs, updated_at = EXCLUDED.updated_at`,
    deleteLimit: `DELETE FROM ${t.limits} WHERE scope = $1::text AND key = $2::text`,
    listLimits: `SELECT scope, key, runs FROM ${t.limits} ORDER BY scope, key`,
    /** Makes sure slots 0..$3-1 of ($1, $2) exist. */
    ensureSlots: `INSERT INTO ${t.slots} (scope, key, slot) SELECT $1::text, $2::text, s FROM generate_series(0, $3::int - 1) AS s ON CONFLICT DO NOTHING`,
    /** Takes one free (or expired) slot below $3 for holder $4 for $5 ms; none when all are held. */
    takeSlot: `UPDATE ${t.slots} AS s SET holder = $4::uuid, expires_at = now() + make_interval(secs => $5::int / 1000.0)
      WHERE (s.scope, s.key, s.slot) = (
        SELECT scope, key, slot FROM ${t.slots}
        WHERE scope = $1::text AND key = $2::text AND slot < $3::int AND (holder IS NULL OR expires_at < now())
        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING s.slot`,
    renewSlots: `UPDATE ${t.slots} SET expires_at = now() + make_interval(secs => $2::int / 1000.0) WHERE holder = $1::uuid`,
    releaseSlots: `UPDATE ${t.slots} SET holder = NULL, expires_at = NULL WHERE holder = $1::uuid`,
    heldSlots: `SELECT scope, key, count(*)::int AS held FROM ${t.slots} WHERE holder IS NOT NULL AND expires_at >= now() GROUP BY scope, key`,

    /** Wins the fleet's turn at a periodic task when its last run is older than $2 ms. */
    now: `SELECT clock_timestamp() AS now`,
    takeTurn: `UPDATE ${t.fleet} SET at = now() WHERE key = $1::text AND at < now() - make_interval(secs => $2::bigint / 1000.0) RETURNING at`,

    jobCounts: `SELECT
        count(*) FILTER (WHERE state < 'active' AND start_after <= now())::int AS waiting,
        count(*) FILTER (WHERE state < 'active' AND start_after > now())::int AS deferred,
        count(*) FILTER (WHERE state = 'active')::int AS running,
        count(*) FILTER (WHERE state = 'failed')::int AS failed
      FROM ${t.bossJobs} WHERE name = $1::text`,
    connectionCounts: `SELECT count(*)::int AS total,
        count(*) FILTER (WHERE enabled)::int AS enabled,
        count(*) FILTER (WHERE paused)::int AS paused,
        count(*) FILTER (WHERE enabled AND NOT paused AND next_run_at < now() - interval '1 minute')::int AS overdue,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY last_lag_ms) AS lag_p50,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY last_lag_ms) AS lag_p99,
        max(last_lag_ms)::float8 AS lag_max
      FROM ${t.connections}`,
  };
}

export type Statements = ReturnType<typeof statements>;
