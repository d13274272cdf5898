/**
 * Dry runs cover credit notes, credits inside payments and refunds: the plan names each credit memo,
 * credit note and refund a sync would write, writes nothing, and the real sync that follows does what
 * the plan said.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine, type PlannedChange } from '../src/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 183,
  start: '2026-11-22T08:00:00Z',
  books: { customers: 5, invoices: 10, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
/** The books' bank account (USD): what refunds are paid from. */
const BANK = books.netsuite.accounts.find((account) => account.kind === 'bank')?.id ?? '';
const CONNECTION = 'plan-credits';
const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: { ...settings, refundAccount: BANK } });
const ns = sandbox.netsuite.state;
const inv = sandbox.invoiced.state;
const refOf = (value: unknown) => (value as { id: string }).id;
const key = (change: PlannedChange) => `${change.direction} ${change.entity} ${change.sourceId} ${change.action}`;

describe('engine: dry run of credits and refunds', () => {
  it('plans credit memos, credit notes, credits in payments and refunds, writes nothing, and the sync does what it planned', async () => {
    await engine.sync();
    const link = (await store.listLinks(CONNECTION, 'invoice')).find((entry) => entry.origin === 'netsuite' && inv.get('invoices', Number(entry.invoicedId))?.currency === 'usd');
    const record = ns.get('invoice', link?.netsuiteId ?? '');
    const copy = inv.get('invoices', Number(link?.invoicedId));
    if (link === undefined || record === undefined || copy === undefined) throw new Error('an imported USD invoice');
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-PLAN',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 5, amount: 5 }] },
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 5 }] },
    });
    const note = inv.insert('credit_notes', { customer: copy.customer, currency: 'usd', number: 'CN-PLAN', items: [{ name: 'Goodwill', quantity: 1, unit_cost: 7 }] });
    inv.insert('payments', { customer: copy.customer, currency: 'usd', amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: copy.id, document_type: 'invoice', amount: 7 }] });
    const processed = inv.charge({ customer: copy.customer, currency: 'usd', amount: 20, applied_to: [{ type: 'invoice', invoice: copy.id, amount: 8 }] });
    inv.refund(processed.charge.id, 12);
    later();
    const before = { creditNotes: inv.count('credit_notes'), payments: inv.count('payments'), memos: ns.count('creditMemo'), refunds: ns.count('customerRefund') };
    sandbox.netsuite.clearRequests();
    sandbox.invoiced.clearRequests();

    const plan = await engine.sync({ dryRun: true });
    const planned = plan.changes.filter((change) => change.action !== 'skip').map(key);
    expect(planned).toContain(`netsuite_to_invoiced creditNote ${String(memo.id)} create`);
    expect(planned).toContain(`invoiced_to_netsuite creditNote ${note.id} create`);
    expect(plan.changes.some((change) => change.entity === 'refund' && change.action === 'create')).toBe(true);
    expect(plan.recordErrors.filter((error) => error.code !== 'CUSTOMER_ALREADY_LINKED')).toEqual([]);
    // Nothing written to either service.
    expect(sandbox.netsuite.requests.filter((entry) => entry.method !== 'GET' && !entry.path.includes('/query/'))).toEqual([]);
    expect(sandbox.invoiced.requests.filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect({ creditNotes: inv.count('credit_notes'), payments: inv.count('payments'), memos: ns.count('creditMemo'), refunds: ns.count('customerRefund') }).toEqual(before);

    const run = await engine.sync();
    expect(run.recordErrors.filter((error) => error.code !== 'CUSTOMER_ALREADY_LINKED')).toEqual([]);
    const done = (await engine.recentSyncs({ limit: 1 }))[0];
    expect(done?.counts.creditNotes_created).toBe(plan.counts.creditNotes_created);
    expect(done?.counts.refunds_created).toBe(plan.counts.refunds_created);
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)).toBeDefined();
    expect(Number(ns.get('invoice', link.netsuiteId)?.amountRemaining)).toBeCloseTo(inv.get('invoices', copy.id)?.balance ?? NaN, 6);
  });
});
