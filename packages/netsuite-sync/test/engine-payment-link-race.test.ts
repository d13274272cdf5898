/**
 * An Invoiced payment that applies a credit note the run is writing to NetSuite beside it: the payment
 * looks up the credit note's link, finds none, and maps on; meanwhile `invoiced_credit_notes` saves the
 * link and ends. The payment waits for the phases that were running when it looked, not those running
 * when it gave up: it is handed again and written. Before, it failed with PAYMENT_CREDIT_NOTES_NOT_SYNCED
 * until the next run (seen once in CI, the Postgres store's run of engine-credit-combinations.test.ts).
 * The store here answers the payment's look-up with what it held when asked, but only once the credit
 * note phase has ended, as a slow database can.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { errorsOf } from './support/credits';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine, type SyncEvent, type SyncStore } from '../src/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 185,
  start: '2026-12-06T08:00:00Z',
  books: { customers: 2, invoices: 2, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const CONNECTION = 'payment-link-race';
const inv = sandbox.invoiced.state;

describe('engine: a payment whose credit note is linked while it maps', () => {
  it('is handed again and written in the same run, not failed because the phase that linked it has ended', async () => {
    const base = engineTestStore({ clock });
    const phases = { finished: new Set<string>() };
    const onEvent = (event: SyncEvent): void => {
      if (event.type === 'phase_finished') phases.finished.add(event.phase);
    };
    /** The credit note whose look-up by the payment phase is held (none in the first sync). */
    const race = { creditNote: '', held: false };
    const store = new Proxy(base, {
      get: (target, property): unknown => {
        if (property !== 'findLinkByInvoicedId') return Reflect.get(target, property, target);
        return async (...args: Parameters<SyncStore['findLinkByInvoicedId']>) => {
          const answer = await target.findLinkByInvoicedId(...args);
          const [, kind, invoicedId] = args;
          // The payment phase's look-up (its own file on the stack), while the credit note phase still runs.
          const byPayments = new Error('where from').stack?.includes('invoiced-payments') === true;
          if (kind === 'creditNote' && invoicedId === race.creditNote && answer === null && !race.held && byPayments && !phases.finished.has('invoiced_credit_notes')) {
            race.held = true;
            while (!phases.finished.has('invoiced_credit_notes')) await turn();
            // A few turns more: the phase's task settles after it reports its end.
            for (let index = 0; index < 5; index += 1) await turn();
          }
          return answer;
        };
      },
    });
    const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, onEvent, settings: { ...settings, subsidiary: books.netsuite.subsidiaries[0]?.id ?? '1' } });

    const customer = inv.insert('customers', { name: 'Race Traders', currency: 'usd' });
    const invoice = inv.insert('invoices', { customer: customer.id, currency: 'usd', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 100 }] });
    later();
    const first = await engine.sync();
    expect(errorsOf(first)).toEqual([]);

    later();
    const note = inv.insert('credit_notes', { customer: customer.id, currency: 'usd', items: [{ name: 'Credit', quantity: 1, unit_cost: 30 }] });
    const payment = inv.insert('payments', { customer: customer.id, currency: 'usd', amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, document_type: 'invoice', amount: 30 }] });
    race.creditNote = String(note.id);
    phases.finished.clear();
    later();
    const second = await engine.sync();

    // The race happened: the payment's look-up found nothing and answered after the credit note phase ended.
    expect(race.held).toBe(true);
    expect(errorsOf(second)).toEqual([]);
    expect(await base.findLinkByInvoicedId(CONNECTION, 'creditNote', String(note.id))).not.toBeNull();
    const written = await base.findLinkByInvoicedId(CONNECTION, 'payment', String(payment.id));
    expect(written?.origin).toBe('invoiced');
  });
});
