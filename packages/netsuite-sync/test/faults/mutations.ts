/**
 * The changing world: what people do to the books while the sync runs, planned from the seed alone like
 * the rest of a scenario. A mutation is a kind of change and a moment: before a planned run (between runs,
 * at that run's start) or during it, right before its process's `op`-th store operation or HTTP request.
 * Which record it changes is drawn when it happens, from the records that fit at that moment, with a
 * random stream of its own (so one mutation finding nothing to change does not shift the others).
 * Mutations happen only up to the last planned run; then the world stops changing and clean runs follow.
 */
import type { Random } from '@invoiced/netsuite-sync-sandbox';

/** The kinds of change, by side. */
export const MUTATION_KINDS = [
  // NetSuite (the books' source of invoices, and of payments on them)
  'ns_invoice_memo',
  'ns_invoice_lines',
  'ns_invoice_pay_part',
  'ns_invoice_pay_full',
  'ns_invoice_void',
  'ns_invoice_delete',
  'ns_invoice_create',
  'ns_customer_clash',
  // Invoiced
  'ivd_invoice_create',
  'ivd_invoice_edit',
  'ivd_invoice_void',
  'ivd_payment_create',
  'ivd_payment_edit',
  'ivd_payment_void',
  'ivd_customer_clash',
  // Credits (drawn from a stream of their own, see {@link mutationPlan})
  'ns_credit_memo_apply',
  'ns_credit_memo_open',
  'ns_payment_credit',
  'ns_credit_memo_void',
  'ivd_credit_note_apply',
  'ivd_credit_note_open',
  'ivd_payment_credit',
  'ivd_credit_note_void',
  // Refunds (drawn from a stream of their own too)
  'ivd_refund',
  'ivd_refund_void',
  'ns_refund_payment',
  'ns_refund_memo',
  'ns_refund_void',
  'ns_copy_memo_apply',
  // Mapped fields, in a world with field mappings (drawn from a stream of their own too)
  'ivd_invoice_po',
  'ivd_credit_note_po',
  'ns_invoice_po',
  'ns_credit_memo_po',
  'ivd_customer_tier',
  'ns_customer_tier',
  // Deletions on Invoiced, with webhooks on (drawn from a stream of their own too)
  'ivd_invoice_delete',
  'ivd_credit_note_delete',
] as const;

/** The kinds of change about credits: credit memos, credit notes, and payments that apply them. */
export const CREDIT_KINDS = [
  'ns_credit_memo_apply',
  'ns_credit_memo_open',
  'ns_payment_credit',
  'ns_credit_memo_void',
  'ivd_credit_note_apply',
  'ivd_credit_note_open',
  'ivd_payment_credit',
  'ivd_credit_note_void',
] as const satisfies readonly (typeof MUTATION_KINDS)[number][];

/** The kinds of change about refunds: Invoiced refunds and their voids, NetSuite customer refunds and their voids. */
export const REFUND_KINDS = ['ivd_refund', 'ivd_refund_void', 'ns_refund_payment', 'ns_refund_memo', 'ns_refund_void'] as const satisfies readonly (typeof MUTATION_KINDS)[number][];
/**
 * The kinds drawn from the third stream (after those of the books and of credits): refunds, and a credit
 * memo the sync wrote from an Invoiced credit note applied by a person in NetSuite.
 */
export const LATER_KINDS = [...REFUND_KINDS, 'ns_copy_memo_apply'] as const satisfies readonly (typeof MUTATION_KINDS)[number][];

/**
 * The kinds about mapped fields (faults/mutate-mappings.ts): `metadata.po` / `custbody_po` of an invoice or
 * credit note and a customer's tier, set, changed or cleared on either side. Drawn from a fourth stream,
 * and only in a world with field mappings.
 */
export const MAPPING_KINDS = ['ivd_invoice_po', 'ivd_credit_note_po', 'ns_invoice_po', 'ns_credit_memo_po', 'ivd_customer_tier', 'ns_customer_tier'] as const satisfies readonly (typeof MUTATION_KINDS)[number][];

/**
 * Invoiced invoices and credit notes deleted (`DELETE /invoices/{id}`, `/credit_notes/{id}`), of those made
 * on Invoiced: a fifth stream, drawn only with `FAULT_WEBHOOKS` on (faults/mutate-deletions.ts).
 */
export const DELETION_KINDS = ['ivd_invoice_delete', 'ivd_credit_note_delete'] as const satisfies readonly (typeof MUTATION_KINDS)[number][];

/** Index of the first deletion: past every other stream's (at most 12 + 6 + 5 + 6), so that adding deletions shifts no other change's index. */
export const FIRST_DELETION_INDEX = 100;

/** A kind of change. */
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** How often each kind is drawn (relative weights). */
const WEIGHTS: Readonly<Record<MutationKind, number>> = {
  ns_invoice_memo: 1,
  ns_invoice_lines: 2,
  ns_invoice_pay_part: 2,
  ns_invoice_pay_full: 3,
  ns_invoice_void: 1,
  ns_invoice_delete: 1,
  ns_invoice_create: 2,
  ns_customer_clash: 1.5,
  ivd_invoice_create: 2,
  ivd_invoice_edit: 1.5,
  ivd_invoice_void: 1,
  ivd_payment_create: 2,
  ivd_payment_edit: 1,
  ivd_payment_void: 1,
  ivd_customer_clash: 1.5,
  ns_credit_memo_apply: 2,
  ns_credit_memo_open: 1,
  ns_payment_credit: 2,
  ns_credit_memo_void: 1,
  ivd_credit_note_apply: 2,
  ivd_credit_note_open: 1,
  ivd_payment_credit: 2,
  ivd_credit_note_void: 1,
  ivd_refund: 3,
  ivd_refund_void: 1,
  ns_refund_payment: 2,
  ns_refund_memo: 2,
  ns_refund_void: 1,
  ns_copy_memo_apply: 1.5,
  ivd_invoice_po: 2,
  ivd_credit_note_po: 1,
  ns_invoice_po: 2,
  ns_credit_memo_po: 1,
  ivd_customer_tier: 1,
  ns_customer_tier: 1,
  ivd_invoice_delete: 2,
  ivd_credit_note_delete: 1,
};

/** One planned change. */
export interface Mutation {
  /** Its place in the seed's plan (0 first): also what its random stream is named after. */
  readonly index: number;
  readonly kind: MutationKind;
  /** The planned run it happens before or during (1 for the first run). */
  readonly run: number;
  /** During the run, right before this operation of its process; `null`: before the run starts. */
  readonly op: number | null;
  /**
   * For pinned plans: the record to change (a NetSuite or Invoiced ID), or `@queued` for the first that
   * fits and has an item in the retry queue, instead of drawing one.
   */
  readonly target?: string;
  /** Put a NUL character in the new record's number or name (creates and clashing customers only). */
  readonly nul: boolean;
}

/** What became of one mutation. */
export interface MutationResult {
  readonly mutation: Mutation;
  /** `applied`; `refused` when the service refused the change (as it would refuse a person); `none` when no record fitted. */
  readonly outcome: 'applied' | 'refused' | 'none';
  /** What was changed, in words (record IDs included). */
  readonly detail: string;
}

/** The kinds of change that were there before credits were synced: drawn as they always were. */
const BOOK_KINDS: readonly MutationKind[] = MUTATION_KINDS.filter(
  (kind) =>
    !(CREDIT_KINDS as readonly string[]).includes(kind) &&
    !(LATER_KINDS as readonly string[]).includes(kind) &&
    !(MAPPING_KINDS as readonly string[]).includes(kind) &&
    !(DELETION_KINDS as readonly string[]).includes(kind),
);

function weighted(random: Random, kinds: readonly MutationKind[]): MutationKind {
  const total = kinds.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let roll = random.next() * total;
  for (const kind of kinds) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return kinds[0] ?? MUTATION_KINDS[0];
}

/**
 * The mutations of a seed with `plannedRuns` planned runs: none for about one seed in ten (the books
 * stand still, as in the first version of the harness), else 2 to 12, each before a planned run or during
 * it (after 1 to 150 operations), in plan order.
 */
export function mutationPlan(random: Random, plannedRuns: number, credits?: Random, refunds?: Random, mappings?: Random, deletions?: Random): Mutation[] {
  if (plannedRuns === 0 || random.chance(0.1)) return [];
  const count = random.int(2, 12);
  const draw = (from: Random, kinds: readonly MutationKind[]) => {
    const kind = weighted(from, kinds);
    const run = from.int(1, plannedRuns);
    const op = from.chance(0.5) ? from.int(1, 150) : null;
    const creates = kind === 'ns_invoice_create' || kind === 'ns_customer_clash' || kind === 'ivd_invoice_create' || kind === 'ivd_customer_clash';
    return { kind, run, op, nul: creates && from.chance(0.15) };
  };
  const drawn = Array.from({ length: count }, () => draw(random, BOOK_KINDS));
  drawn.sort((a, b) => a.run - b.run || (a.op ?? 0) - (b.op ?? 0));
  const plan: Mutation[] = drawn.map((mutation, index) => ({ index, ...mutation }));
  // Changes about credits: their own stream and the indexes after the others', so that the other changes
  // of a seed (and the records each draws) are those of the seeds before credits were synced.
  const more = credits === undefined || credits.chance(0.2) ? [] : Array.from({ length: credits.int(1, 6) }, (_, offset): Mutation => ({ index: count + offset, ...draw(credits, CREDIT_KINDS) }));
  // Changes about refunds (and credit memos of the sync applied in NetSuite): a third stream, indexes after
  // the credits' (which are as they were before refunds were synced).
  const first = count + more.length;
  const refundMore = refunds === undefined || refunds.chance(0.2) ? [] : Array.from({ length: refunds.int(1, 5) }, (_, offset): Mutation => ({ index: first + offset, ...draw(refunds, LATER_KINDS) }));
  // Changes to mapped fields (a world with field mappings): a fourth stream, indexes after all the others.
  const mapped = count + more.length + refundMore.length;
  const mappingMore = mappings === undefined || mappings.chance(0.2) ? [] : Array.from({ length: mappings.int(1, 6) }, (_, offset): Mutation => ({ index: mapped + offset, ...draw(mappings, MAPPING_KINDS) }));
  // Deletions on Invoiced (with webhooks on): a fifth stream, in half of the seeds, indexes from FIRST_DELETION_INDEX.
  const deletionMore = deletions === undefined || deletions.chance(0.5) ? [] : Array.from({ length: deletions.int(1, 3) }, (_, offset): Mutation => ({ index: FIRST_DELETION_INDEX + offset, ...draw(deletions, DELETION_KINDS) }));
  if (more.length === 0 && refundMore.length === 0 && mappingMore.length === 0 && deletionMore.length === 0) return plan;
  return [...plan, ...more, ...refundMore, ...mappingMore, ...deletionMore].sort((a, b) => a.run - b.run || (a.op ?? 0) - (b.op ?? 0) || a.index - b.index);
}

/** One line per mutation, for a failing seed's message. */
export function describeMutation(mutation: Mutation): string {
  const when = mutation.op === null ? `before run ${mutation.run}` : `during run ${mutation.run}, before operation ${mutation.op}`;
  return `${mutation.kind}${mutation.nul ? ' (with a NUL)' : ''}${mutation.target === undefined ? '' : ` of ${mutation.target}`} ${when}`;
}
