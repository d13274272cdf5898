/**
 * Fleet-wide limits of runs at once: per NetSuite account and per Invoiced key, across every worker. Each
 * limit is N rows (slots) in Postgres; a job takes one slot of each of its two limits in one transaction
 * (both or neither), holds them while it runs (renewed with its heartbeat) and gives them back at its end.
 * A slot whose holder died frees itself when its time runs out, so a killed worker never keeps one.
 *
 * A limit's size is the one set in the registry for its account or key (`fleet.setLimit()`), else the one
 * set for its kind, else the worker's `limits` option.
 */
import type { Executor } from './database';
import type { Statements } from './sql';

/** The two limits of a job. */
export interface LimitKeys {
  readonly netsuiteAccount: string;
  readonly invoicedKeyId: string;
}

/** The two kinds of fleet-wide limit. */
export type LimitScope = 'netsuite_account' | 'invoiced_key';

/** The sizes a worker uses where the registry sets none (its `limits` option). */
export interface LimitSizes {
  readonly perNetSuiteAccount: number;
  readonly perInvoicedKey: number;
}

/** How long a slot stays held without renewal. */
export const SLOT_TTL_MS = 60_000;

/**
 * Takes one slot of each limit for `holder`, inside the caller's transaction; `false` (and nothing taken,
 * once the caller rolls back or takes nothing) when either limit is full. Slots `holder` held before (a
 * retried job whose worker died) are given back first.
 */
export async function takeSlots(tx: Executor, sql: Statements, holder: string, keys: LimitKeys, sizes: LimitSizes, ttlMs = SLOT_TTL_MS): Promise<boolean> {
  await tx.query(sql.releaseSlots, [holder]);
  const limits: [LimitScope, string, number][] = [
    ['netsuite_account', keys.netsuiteAccount, sizes.perNetSuiteAccount],
    ['invoiced_key', keys.invoicedKeyId, sizes.perInvoicedKey],
  ];
  for (const [scope, key, fallback] of limits) {
    const [set] = await tx.query<{ runs: number }>(sql.limitSize, [scope, key]);
    const size = set === undefined ? fallback : Number(set.runs);
    await tx.query(sql.ensureSlots, [scope, key, size]);
    const taken = await tx.query(sql.takeSlot, [scope, key, size, holder, ttlMs]);
    if (taken.length === 0) {
      await tx.query(sql.releaseSlots, [holder]);
      return false;
    }
  }
  return true;
}

export async function renewSlots(db: Executor, sql: Statements, holder: string, ttlMs = SLOT_TTL_MS): Promise<void> {
  await db.query(sql.renewSlots, [holder, ttlMs]);
}

export async function releaseSlots(db: Executor, sql: Statements, holder: string): Promise<void> {
  await db.query(sql.releaseSlots, [holder]);
}
