/**
 * What the changes of the changing world share (mutate.ts, mutate-credits.ts): the context of one change,
 * how its record is drawn, amounts, and the records that fit most changes.
 */
import type { Random, Sandbox } from '@invoiced/netsuite-sync-sandbox';
import type { WorldLedger, Touched } from './ledger';
import type { Mutation } from './mutations';
import type { WorldState } from './state';
import type { FaultWorld } from './world';

export type Rec = Record<string, unknown>;
export const refId = (value: unknown): string => {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
};

/** A change to make, or why there is none. */
export type Change = { detail: string; touched: Touched[]; act: () => void } | null;

export interface Ctx {
  readonly world: FaultWorld;
  readonly sandbox: Sandbox;
  readonly now: WorldState;
  readonly random: Random;
  readonly mutation: Mutation;
  readonly ledger: WorldLedger;
  /** Source IDs with a pending retry item, by `direction:entity`. */
  readonly queued: ReadonlySet<string>;
  /** Records the change created (found out only once it is made). */
  readonly created: Touched[];
}

export const createdBy = (ctx: Ctx): Touched[] => ctx.created;

export function choose<T extends { id: string }>(ctx: Ctx, candidates: readonly T[], queueKey: string): T | undefined {
  const { mutation, random } = ctx;
  // `@queued`: the first fitting record with an item in the retry queue (pinned plans aim at the record a fault left unconfirmed).
  if (mutation.target === '@queued') return candidates.find((candidate) => ctx.queued.has(`${queueKey}:${candidate.id}`));
  if (mutation.target !== undefined) return candidates.find((candidate) => candidate.id === mutation.target);
  if (candidates.length === 0) return undefined;
  const queued = candidates.filter((candidate) => ctx.queued.has(`${queueKey}:${candidate.id}`));
  return random.pick(queued.length > 0 && random.chance(0.5) ? queued : candidates);
}

/** An amount in whole units (valid in every currency, JPY included). */
export const units = (random: Random) => random.int(1, 60) * 25;

/** NetSuite invoices that started in NetSuite and are open. */
export function openNetSuiteInvoices(ctx: Ctx) {
  return [...ctx.now.netsuite.invoices.values()].filter((invoice) => invoice.status === 'A' && !(invoice.externalId ?? '').startsWith('invd-inv-'));
}

/** Invoiced invoices that started on Invoiced and are open (not drafts, not voided). */
export function ownInvoicedInvoices(ctx: Ctx) {
  return [...ctx.now.invoiced.invoices.values()].filter((invoice) => invoice.netsuiteId === undefined && !invoice.draft && !invoice.voided && invoice.balance > 0);
}
