/**
 * The NetSuite simulator: one in-memory SQLite database per service, answering NetSuite's REST record
 * service, SuiteQL and OAuth 2.0 token endpoint, with TBA or OAuth 2.0 checked on every request.
 */
import type { KeyObject } from 'node:crypto';
import type { NetSuiteBooks } from '../books';
import type { ServiceHandler } from '../http';
import { parseShape, type NetSuiteAccountShape } from './account-shape';
import { createAuthenticator, type NetSuiteAuthFailure } from './auth';
import { loadBooks } from './books-loader';
import { clearDatabase, createDatabase, inTransaction } from './database';
import { stampOf, truncateStamp } from './dates';
import { listDeletions, type NetSuiteDeletedRecord } from './deleted-records';
import { errorOutcome, NetSuiteSimulatorError, notFound, unauthorizedOutcome } from './errors';
import { CATALOG_PATH, handleCatalogRequest } from './metadata-catalog';
import { TOKEN_PATH } from './oauth2';
import { RECORD_PATH, type NetSuiteRecordType, type RestRecord, type StoreContext } from './record-common';
import { handleRecordRequest } from './record-routes';
import { createRecordStore } from './record-store';
import { createRandom } from '../random';
import { applyShape, EMPTY_SHAPE } from './shape-store';
import { registerOracleFunctions } from './suiteql-functions';
import { createSuiteQLPages } from './suiteql-pages';
import { handleSuiteQLRequest, runSuiteQL, SUITEQL_PATH, type SuiteQLRow } from './suiteql';
import { accountTimeZone, DEFAULT_TIME_ZONE } from './time-zone';
import { prepared } from './statements';

/** Options of {@link createNetSuiteService}. */
export interface NetSuiteServiceOptions {
  /** Account ID, e.g. `1234567_SB1`; a TBA realm must be it in upper case with `_`. */
  accountId: string;
  /** Token-based authentication credentials accepted; without them every `OAuth` request is refused. */
  credentials?: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };
  /** The OAuth 2.0 M2M integration accepted; without it every token request and `Bearer` request is refused. */
  oauth2?: { clientId: string; certificateId: string; publicKey: string | CryptoKey | KeyObject; algorithms?: string[] };
  /**
   * The simulator's clock: record timestamps, the TBA timestamp check and token expiry.
   * @default () => new Date()
   */
  clock?: () => Date;
  /**
   * How far a TBA `oauth_timestamp` may be from the clock, in seconds; nonces are remembered this long.
   * @default 300
   */
  timestampToleranceSeconds?: number;
  /**
   * The time zone of the integration user's preferences (an IANA name), in which SuiteQL shows datetimes
   * and reads datetime literals. West of UTC, with daylight saving time, unless told otherwise.
   * @default 'America/Los_Angeles'
   */
  timeZone?: string;
  /**
   * Seed of the order of rows a SuiteQL `ORDER BY` leaves tied (every row, without one): a new order on
   * every request, the same sequence for the same seed.
   * @default 1
   */
  seed?: number | string;
  /**
   * The account's own shape: subsidiaries, classes, departments, locations, employees, custom fields and
   * forms, and the accounting preferences that make classifications mandatory (see `account-shape.ts`).
   * Checked: a bad shape throws `NetSuiteShapeError`. `load()` and `reset()` keep it.
   * @default {} (subsidiary 1 only, no custom fields)
   */
  shape?: NetSuiteAccountShape;
  /**
   * Keep the rows of a SuiteQL query read a page at a time by offset, while nothing changes, instead of
   * running it again for every page (the answers are the same; see `suiteql-pages.ts`). `false` runs every
   * request.
   * @default true
   */
  suiteqlPages?: boolean;
}

/** The reference tables `state.setInactive` can change. */
export type InactiveTable = 'currency' | 'item' | 'account' | 'subsidiary' | 'classification' | 'department' | 'location' | 'employee';

const INACTIVE_TABLES: readonly InactiveTable[] = ['currency', 'item', 'account', 'subsidiary', 'classification', 'department', 'location', 'employee'];

/** Direct access to the simulator's data, bypassing HTTP and authentication (for arranging and asserting). */
export interface NetSuiteState {
  /** Replaces everything with a set of books (IDs and `lastModifiedDate`s kept); the account's shape stays. */
  load(books: NetSuiteBooks): void;
  /**
   * Gives the account a shape (replacing the previous one; records keep the values of custom fields both
   * shapes have, and lose the others). Throws `NetSuiteShapeError` for a bad shape, changing nothing.
   * @example netsuite.state.setShape({ classes: [{ id: '1', name: 'Consulting' }], mandatory: { class: true } });
   */
  setShape(shape: NetSuiteAccountShape): void;
  /** The account's shape (the empty shape `{}` unless one was given). */
  readonly shape: NetSuiteAccountShape;
  /** Creates a record from a REST-shaped body (`id` may be given) and returns it as GET would, sublists expanded. */
  insert(type: NetSuiteRecordType, fields: Record<string, unknown>): RestRecord;
  /** A record as GET with `expandSubResources=true` returns it; `id` may be `eid:<externalId>`. */
  get(type: NetSuiteRecordType, id: string | number): RestRecord | undefined;
  /** Changes a record as PATCH does and returns it. */
  update(type: NetSuiteRecordType, id: string | number, patch: Record<string, unknown>): RestRecord;
  /**
   * Deletes a record as a person does in the NetSuite UI: the same rules as a REST DELETE (an invoice with
   * payments or credits applied, or a customer with transactions, is refused with 400 `USER_ERROR` and
   * nothing changes; a deleted payment's invoices reopen), recorded in `DeletedRecord` with context
   * `userinterface`. `id` may be `eid:<externalId>`.
   * @example netsuite.state.delete('customerPayment', '401'); // its invoices are open again
   */
  delete(type: NetSuiteRecordType, id: string | number): void;
  /** The rows of SuiteQL's `DeletedRecord`, oldest first: what was deleted, when, how and by whom. */
  deletedRecords(): NetSuiteDeletedRecord[];
  /** Every record of a type, ascending ID, sublists expanded. */
  list(type: NetSuiteRecordType): RestRecord[];
  /** The record with this external ID. */
  findByExternalId(type: NetSuiteRecordType, externalId: string): RestRecord | undefined;
  /**
   * Runs a SuiteQL query and returns every row as the SuiteQL service shows it (without `links`); tied
   * rows keep SQLite's order here (over HTTP they are shuffled).
   */
  query(suiteql: string): SuiteQLRow[];
  /**
   * Marks a reference record inactive (or active again), as a person does with its Inactive box in the
   * NetSuite UI: SuiteQL then shows `isinactive = 'T'`, and a write naming a class, department, location
   * or employee made inactive is refused. Tables: `currency`, `item`, `account`, `subsidiary`,
   * `classification`, `department`, `location`, `employee`.
   * @example netsuite.state.setInactive('item', '5', true);
   */
  setInactive(table: InactiveTable, id: string | number, inactive: boolean): void;
  /** The IANA time zone SuiteQL shows and reads datetimes in. */
  readonly timeZone: string;
  /** How many records of a type exist. */
  count(type: NetSuiteRecordType): number;
  /** Back to a fresh account: no records, default reference data (and the account's shape), an empty authentication log. */
  reset(): void;
  /** Why requests were refused with 401 (and token requests with 400), oldest first; never holds secrets. */
  authFailures(): readonly NetSuiteAuthFailure[];
}

/** A NetSuite simulator: a request handler and its state. */
export interface NetSuiteService {
  readonly handle: ServiceHandler;
  readonly state: NetSuiteState;
}

/**
 * Creates a NetSuite simulator.
 *
 * @example
 * ```ts
 * const netsuite = createNetSuiteService({
 *   accountId: '1234567_SB1',
 *   credentials: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' },
 * });
 * netsuite.state.load(books);
 * const outcome = await netsuite.handle({ method: 'GET', url, headers, body: '' });
 * ```
 */
export function createNetSuiteService(options: NetSuiteServiceOptions): NetSuiteService {
  const clock = options.clock ?? (() => new Date());
  const db = createDatabase();
  const zone = accountTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const context: StoreContext = { db, now: () => stampOf(clock()), today: () => truncateStamp(zone.toWall(stampOf(clock()))) };
  const ties = createRandom(options.seed ?? 1).fork('suiteql-ties');
  const pages = createSuiteQLPages((request) => {
    const stream = ties.fork(`request-${request}`);
    return () => stream.next();
  }, options.suiteqlPages !== false);
  registerOracleFunctions(db, { now: pages.clock(context.now), zone, shuffle: pages.shuffle });
  const store = createRecordStore(context);
  const auth = createAuthenticator({
    accountId: options.accountId,
    credentials: options.credentials,
    oauth2: options.oauth2,
    clock,
    toleranceSeconds: options.timestampToleranceSeconds ?? 300,
  });
  const base = `https://${options.accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;

  const render = (type: NetSuiteRecordType, id: number) => store.render(type, id, { base, expand: true });
  const idOf = (type: NetSuiteRecordType, id: string | number) => {
    const resolved = store.resolve(type, String(id));
    if (resolved === undefined) throw notFound(type, String(id));
    return resolved;
  };

  let shape = parseShape(options.shape ?? EMPTY_SHAPE);
  applyShape(db, shape);

  const state: NetSuiteState = {
    load: (books) => {
      inTransaction(db, () => {
        loadBooks(context, store, books);
        applyShape(db, shape);
      });
      auth.clearFailures();
    },
    setShape(next) {
      const checked = parseShape(next);
      inTransaction(db, () => applyShape(db, checked));
      shape = checked;
    },
    get shape() {
      return shape;
    },
    insert(type, fields) {
      const { id, ...body } = fields;
      const forced = typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? Number(id) : undefined;
      const created = store.create(type, body, forced === undefined ? {} : { id: forced });
      return render(type, created) ?? {};
    },
    get: (type, id) => {
      const resolved = store.resolve(type, String(id));
      return resolved === undefined ? undefined : render(type, resolved);
    },
    update(type, id, patch) {
      const resolved = idOf(type, id);
      store.update(type, resolved, patch);
      return render(type, resolved) ?? {};
    },
    delete: (type, id) => store.remove(type, idOf(type, id), 'userinterface'),
    deletedRecords: () => listDeletions(context),
    list: (type) => store.list(type).flatMap((id) => {
      const record = render(type, id);
      return record === undefined ? [] : [record];
    }),
    findByExternalId: (type, externalId) => state.get(type, `eid:${externalId}`),
    query: (suiteql) => runSuiteQL(db, suiteql, { zone }).items,
    setInactive(table, id, inactive) {
      if (!INACTIVE_TABLES.includes(table)) throw new RangeError(`Not a reference table: ${String(table)}.`);
      const changed = prepared(db, `UPDATE ${table} SET isinactive = ? WHERE id = ?`).run(inactive ? 'T' : 'F', Number(id));
      if (changed.changes === 0) throw new RangeError(`No ${table} with internal ID ${id}.`);
    },
    timeZone: zone.name,
    count: (type) => store.list(type).length,
    reset() {
      clearDatabase(db, true);
      applyShape(db, shape);
      auth.clearFailures();
    },
    authFailures: () => auth.failures(),
  };

  const handle: ServiceHandler = async (request) => {
    try {
      const path = request.url.pathname;
      if (path === TOKEN_PATH) return await auth.token(request);
      if (!auth.authenticate(request)) return unauthorizedOutcome(auth.challenge(request));
      if (path === SUITEQL_PATH) return handleSuiteQLRequest(db, request, { zone, pages });
      if (path === CATALOG_PATH || path.startsWith(`${CATALOG_PATH}/`)) return handleCatalogRequest(db, request, path.slice(CATALOG_PATH.length), base);
      if (path === RECORD_PATH || path.startsWith(`${RECORD_PATH}/`)) return handleRecordRequest(store, request, path.slice(RECORD_PATH.length));
      return errorOutcome(new NetSuiteSimulatorError(404, 'NOT_FOUND', `No NetSuite service is simulated at ${path}.`));
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'unknown error';
      return errorOutcome(new NetSuiteSimulatorError(500, 'UNEXPECTED_ERROR', `An unexpected error occurred in the simulator: ${detail}`));
    }
  };

  return { handle, state };
}
