/**
 * The data of one simulated Invoiced account: the four collections, ID and number sequences, the
 * index of who paid what (so balances are derived, never drift), and the clock.
 */
import type {
  InvoicedResourceName,
  StoredApplication,
  StoredCharge,
  StoredCustomer,
  StoredDocument,
  StoredPayment,
  StoredRefund,
} from './records';
import { UpdatedIndex, type UpdatedOrder } from './updated-index';

/** What an application settles: an invoice or a credit note. */
export type SettledKind = 'invoice' | 'credit_note';

/** Collections whose records carry a unique, auto-numbered `number`. */
export type NumberedResource = 'customers' | 'invoices' | 'credit_notes';

const NUMBER_PREFIX: Readonly<Record<NumberedResource, string>> = {
  customers: 'CUST-',
  invoices: 'INV-',
  credit_notes: 'CN-',
};

const target = (kind: SettledKind, id: number) => `${kind}:${id}`;
/** How numbers are compared for uniqueness: without regard to case. */
const numberKey = (number: string) => number.toLowerCase();

/** The record each collection keeps. */
interface StoredRecords {
  customers: StoredCustomer;
  invoices: StoredDocument;
  credit_notes: StoredDocument;
  payments: StoredPayment;
}

/** Collections whose changes make events (see `events.ts`). */
export type EventedCollection = InvoicedResourceName | 'refunds';

/** A record written (set or deleted) since the changes were last taken, in the order first written. */
export interface RecordChange {
  readonly collection: EventedCollection;
  readonly id: number;
}

/** A map of records that notes every key written, so the event log knows which records to compare. */
class TrackedMap<V> extends Map<number, V> {
  readonly #changed: (id: number) => void;
  constructor(changed: (id: number) => void) {
    super();
    this.#changed = changed;
  }
  override set(id: number, value: V): this {
    super.set(id, value);
    this.#changed(id);
    return this;
  }
  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) this.#changed(id);
    return had;
  }
}

/** The state behind the service and `InvoicedState`. */
export class InvoicedDatabase {
  /** Records written since {@link takeChanges}, by `collection:id`, in first-write order. */
  readonly #changes = new Map<string, RecordChange>();
  readonly #note = (collection: EventedCollection) => (id: number) => {
    if (collection !== 'refunds') this.#updated[collection].written(id);
    const key = `${collection}:${id}`;
    if (!this.#changes.has(key)) this.#changes.set(key, { collection, id });
  };
  readonly customers: Map<number, StoredCustomer> = new TrackedMap(this.#note('customers'));
  readonly invoices: Map<number, StoredDocument> = new TrackedMap(this.#note('invoices'));
  readonly credit_notes: Map<number, StoredDocument> = new TrackedMap(this.#note('credit_notes'));
  readonly payments: Map<number, StoredPayment> = new TrackedMap(this.#note('payments'));
  /** Charges of processed payments, and their refunds (see `charges.ts`, `refunds.ts`). */
  readonly charges = new Map<number, StoredCharge>();
  readonly refunds: Map<number, StoredRefund> = new TrackedMap(this.#note('refunds'));
  /** The records of each collection by `updated_at`, told of every record noted as written. */
  readonly #updated: { readonly [R in InvoicedResourceName]: UpdatedIndex<StoredRecords[R]> } = {
    customers: new UpdatedIndex(this.customers),
    invoices: new UpdatedIndex(this.invoices),
    credit_notes: new UpdatedIndex(this.credit_notes),
    payments: new UpdatedIndex(this.payments),
  };
  readonly #clock: () => Date;
  #ids = { customers: 0, invoices: 0, payments: 0, credit_notes: 0, lines: 0, charges: 0, refunds: 0 };
  #autoNumbers = { customers: 0, invoices: 0, credit_notes: 0 };
  /**
   * `number` → record ID, per numbered collection, keyed without regard to case (assumed: Invoiced's
   * unique index on numbers lives in a database whose usual collation ignores case).
   */
  #numbers = { customers: new Map<string, number>(), invoices: new Map<string, number>(), credit_notes: new Map<string, number>() };
  /** Settled document (`invoice:12`) → payment ID → minor units applied. */
  #applied = new Map<string, Map<number, number>>();
  /** Payment ID → the documents it settles, to undo them on change or void. */
  #appliedBy = new Map<number, string[]>();

  /** Moves on at every change of the data (see {@link touch}): what was read at one version is still true at it. */
  #version = 0;

  constructor(clock: () => Date) {
    this.#clock = clock;
  }

  /** The version of the data: a listing rendered at one version can be served again at the same version and second. */
  get version(): number {
    return this.#version;
  }

  /** Notes that the data changes now (every write through the API or the state API calls it first). */
  touch(): void {
    this.#version += 1;
  }

  /** The records written since the last call, in first-write order, and forgets them. */
  takeChanges(): RecordChange[] {
    const changes = [...this.#changes.values()];
    this.#changes.clear();
    return changes;
  }

  /**
   * The records of a collection whose `updated_at` is strictly between the bounds (`undefined`: no bound),
   * as kept, in ascending ID order or (`updated`) by ascending `updated_at`, then ID.
   */
  updatedWithin<R extends InvoicedResourceName>(resource: R, after: number | undefined, before: number | undefined, order?: UpdatedOrder): StoredRecords[R][] {
    return this.#updated[resource].within(after, before, order);
  }

  /** The clock in whole UNIX seconds. */
  now(): number {
    return Math.floor(this.#clock().getTime() / 1000);
  }

  /** The clock in milliseconds (idempotency expiry). */
  nowMs(): number {
    return this.#clock().getTime();
  }

  /** The next ID of a collection, of charges and refunds, or of line items, discounts and taxes (`lines`). */
  nextId(kind: InvoicedResourceName | 'lines' | 'charges' | 'refunds'): number {
    this.#ids[kind] += 1;
    return this.#ids[kind];
  }

  /** The next free automatic number (`INV-00001`), skipping numbers clients have taken by hand. */
  nextNumber(resource: NumberedResource): string {
    for (;;) {
      this.#autoNumbers[resource] += 1;
      const candidate = `${NUMBER_PREFIX[resource]}${String(this.#autoNumbers[resource]).padStart(5, '0')}`;
      if (!this.#numbers[resource].has(numberKey(candidate))) return candidate;
    }
  }

  /** The record holding `number`, if any. */
  numberOwner(resource: NumberedResource, number: string): number | undefined {
    return this.#numbers[resource].get(numberKey(number));
  }

  /** Records that `id` now holds `number` (and no longer `previous`). */
  claimNumber(resource: NumberedResource, id: number, number: string, previous?: string): void {
    if (previous !== undefined) this.#numbers[resource].delete(numberKey(previous));
    this.#numbers[resource].set(numberKey(number), id);
  }

  /** Frees a number (the record was deleted). */
  releaseNumber(resource: NumberedResource, number: string): void {
    this.#numbers[resource].delete(numberKey(number));
  }

  /** Minor units applied to a document by all payments, or by all but `exceptPayment`. */
  applied(kind: SettledKind, id: number, exceptPayment?: number): number {
    let sum = 0;
    for (const [payment, amount] of this.#applied.get(target(kind, id)) ?? []) {
      if (payment !== exceptPayment) sum += amount;
    }
    return sum;
  }

  /** Whether any payment settles part of the document. */
  hasApplications(kind: SettledKind, id: number): boolean {
    return (this.#applied.get(target(kind, id))?.size ?? 0) > 0;
  }

  /**
   * Replaces what a payment settles (`[]` to undo it, as when it is voided or deleted). Returns the
   * documents whose applied amount changed and by how much (minor units, negative when less is applied),
   * so their `updated_at` can be bumped and their `closed` flag kept as Invoiced keeps it.
   */
  setApplications(paymentId: number, applications: readonly StoredApplication[]): { kind: SettledKind; id: number; delta: number }[] {
    const before = new Map<string, number>();
    for (const key of this.#appliedBy.get(paymentId) ?? []) {
      const entries = this.#applied.get(key);
      before.set(key, entries?.get(paymentId) ?? 0);
      entries?.delete(paymentId);
      if (entries?.size === 0) this.#applied.delete(key);
    }
    const after = new Map<string, number>();
    const add = (key: string, amount: number) => after.set(key, (after.get(key) ?? 0) + amount);
    for (const application of applications) {
      if (application.invoice !== null) add(target('invoice', application.invoice), application.amount);
      if (application.type === 'credit_note' && application.credit_note !== null) {
        add(target('credit_note', application.credit_note), application.amount);
      }
    }
    for (const [key, amount] of after) {
      const entries = this.#applied.get(key) ?? new Map<number, number>();
      entries.set(paymentId, amount);
      this.#applied.set(key, entries);
    }
    if (after.size === 0) this.#appliedBy.delete(paymentId);
    else this.#appliedBy.set(paymentId, [...after.keys()]);

    const changed: { kind: SettledKind; id: number; delta: number }[] = [];
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
      if (delta === 0) continue;
      const [kind = '', id = ''] = key.split(':');
      changed.push({ kind: kind as SettledKind, id: Number(id), delta });
      // The document's balance moved: its callers save it in place, so note it here.
      this.#note(kind === 'invoice' ? 'invoices' : 'credit_notes')(Number(id));
    }
    return changed;
  }

  /** Forgets every record and restarts every sequence. */
  reset(): void {
    this.#changes.clear();
    for (const map of [this.customers, this.invoices, this.credit_notes, this.payments, this.charges, this.refunds]) map.clear();
    for (const map of Object.values(this.#numbers)) map.clear();
    for (const index of Object.values(this.#updated)) index.reset();
    this.#applied.clear();
    this.#appliedBy.clear();
    this.#ids = { customers: 0, invoices: 0, payments: 0, credit_notes: 0, lines: 0, charges: 0, refunds: 0 };
    this.#autoNumbers = { customers: 0, invoices: 0, credit_notes: 0 };
  }
}
