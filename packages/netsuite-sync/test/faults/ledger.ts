/**
 * The world's own records as the world last left them. The first version of the harness compared the
 * end state with the books as loaded; now the books change, so the harness keeps, for every record the
 * books or a person made, its state right after the last change a person made to it (a mutation). The
 * sync must leave those records as they are here: whatever differs is the sync's doing.
 */
import type { MutationResult } from './mutations';
import type { InvoicedCreditNoteState, InvoicedCustomerState, InvoicedInvoiceState, InvoicedPaymentState, NetSuiteCreditMemoState, NetSuiteCustomerState, NetSuiteInvoiceState, NetSuitePaymentState, WorldState } from './state';

/** Records of both sides by ID, as a person left them. */
export interface Baseline {
  readonly netsuite: {
    readonly customers: Map<string, NetSuiteCustomerState>;
    readonly invoices: Map<string, NetSuiteInvoiceState>;
    readonly payments: Map<string, NetSuitePaymentState>;
    readonly creditMemos: Map<string, NetSuiteCreditMemoState>;
  };
  readonly invoiced: {
    readonly customers: Map<string, InvoicedCustomerState>;
    readonly invoices: Map<string, InvoicedInvoiceState>;
    readonly payments: Map<string, InvoicedPaymentState>;
    readonly creditNotes: Map<string, InvoicedCreditNoteState>;
  };
}

/** A record a mutation touched: its side, its collection and its ID. */
export type Touched = readonly ['netsuite', 'customers' | 'invoices' | 'payments' | 'creditMemos', string] | readonly ['invoiced', 'customers' | 'invoices' | 'payments' | 'creditNotes', string];

/** What the world did to its books. */
export class WorldLedger {
  /** Both sides before the first run. */
  readonly initial: WorldState;
  readonly baseline: Baseline;
  /** NetSuite invoices a person deleted. */
  readonly deletedNetSuiteInvoices = new Set<string>();
  /** Invoiced invoices and credit notes a person deleted (`invoice:<id>`, `creditNote:<id>`): their NetSuite copies must go. */
  readonly deletedOnInvoiced = new Set<string>();
  /** NetSuite invoices closed (paid or voided) before the first run: never imported. */
  readonly closedBeforeFirstRun: ReadonlySet<string>;
  /** Every mutation that came due, in order. */
  readonly results: MutationResult[] = [];

  constructor(initial: WorldState) {
    this.initial = initial;
    this.baseline = {
      netsuite: { customers: new Map(initial.netsuite.customers), invoices: new Map(initial.netsuite.invoices), payments: new Map(initial.netsuite.payments), creditMemos: new Map(initial.netsuite.creditMemos) },
      invoiced: { customers: new Map(initial.invoiced.customers), invoices: new Map(initial.invoiced.invoices), payments: new Map(initial.invoiced.payments), creditNotes: new Map(initial.invoiced.creditNotes) },
    };
    this.closedBeforeFirstRun = new Set([...initial.netsuite.invoices.values()].filter((invoice) => invoice.status !== 'A').map((invoice) => invoice.id));
  }

  /** Takes the records a mutation touched into the baseline as `now` has them (gone: deleted by a person). */
  adopt(now: WorldState, touched: readonly Touched[]): void {
    for (const [side, kind, id] of touched) {
      const from = (now[side] as unknown as Record<string, ReadonlyMap<string, never> | undefined>)[kind];
      const into = (this.baseline[side] as unknown as Record<string, Map<string, never> | undefined>)[kind];
      if (from === undefined || into === undefined) continue;
      const record = from.get(id);
      if (record === undefined) into.delete(id);
      else into.set(id, record);
    }
  }

  /** Applied mutations by kind. */
  applied(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const result of this.results) if (result.outcome === 'applied') counts[result.mutation.kind] = (counts[result.mutation.kind] ?? 0) + 1;
    return counts;
  }
}
