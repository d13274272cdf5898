/**
 * The changes people make about credits: in NetSuite, credit memos applied to open invoices or left open,
 * customer payments that apply a credit memo with their cash, credit memos unapplied and voided; on
 * Invoiced, credit notes applied by a payment of 0 or left open, cash payments that also apply a credit
 * note, credit notes voided while nothing is applied. Same scope as the other changes (mutate.ts): the
 * credits of one side go to invoices that started on that side, so that no money is recorded twice.
 */
import type { Touched } from './ledger';
import { choose, createdBy, openNetSuiteInvoices, ownInvoicedInvoices, refId, units, type Change, type Ctx, type Rec } from './mutate-support';
import { refundChange } from './mutate-refunds';
import { minor, type InvoicedCreditNoteState, type NetSuiteCreditMemoState } from './state';

const scaleOf = (currency: string) => (currency === 'jpy' ? 1 : 100);

function netsuiteCurrency(ctx: Ctx, currencyId: string): string {
  return (ctx.world.books.netsuite.currencies[Number(currencyId) - 1] ?? 'usd').toLowerCase();
}

/** A part of `whole` (minor units): all of it, or 20% to 70% of it (at least 1). */
function part(ctx: Ctx, whole: number, allChance: number): number {
  return ctx.random.chance(allChance) ? whole : Math.max(1, Math.floor(whole * (0.2 + ctx.random.next() * 0.5)));
}

/** Inserts a NetSuite credit memo of `total` (minor units), applying `apply` to invoices; returns its ID. */
function insertMemo(ctx: Ctx, fields: { customer: string; currencyId: string; total: number; scale: number; apply: { invoice: string; amount: number }[] }): string {
  const item = ctx.world.settings.items?.defaultItem ?? '1';
  const amount = fields.total / fields.scale;
  const memo = ctx.sandbox.netsuite.state.insert('creditMemo', {
    entity: { id: fields.customer },
    currency: { id: fields.currencyId },
    tranId: `CM-N${ctx.mutation.index}`,
    memo: 'Credited by a person',
    item: { items: [{ item: { id: item }, quantity: 1, rate: amount, amount, description: 'Credit' }] },
    ...(fields.apply.length === 0 ? {} : { apply: { items: fields.apply.map((entry) => ({ doc: { id: entry.invoice }, apply: true, amount: entry.amount / fields.scale })) } }),
  });
  const id = String(memo.id);
  createdBy(ctx).push(['netsuite', 'creditMemos', id]);
  return id;
}

/** NetSuite credit memos a person made or the books hold (not copies of Invoiced credit notes) that are not voided. */
function ownMemos(ctx: Ctx): NetSuiteCreditMemoState[] {
  return [...ctx.now.netsuite.creditMemos.values()].filter((memo) => memo.status !== 'V' && !(memo.externalId ?? '').startsWith('invd-cn-'));
}

function netsuiteMemo(ctx: Ctx, applied: boolean): Change {
  if (applied) {
    const invoice = choose(ctx, openNetSuiteInvoices(ctx), 'netsuite_to_invoiced:invoice');
    if (invoice === undefined) return null;
    const currency = netsuiteCurrency(ctx, invoice.currencyId);
    const scale = scaleOf(currency);
    const amount = part(ctx, minor(invoice.remaining, currency), 0.4);
    const extra = ctx.random.chance(0.3) ? units(ctx.random) * scale : 0;
    return {
      detail: `NetSuite credit memo CM-N${ctx.mutation.index} of ${(amount + extra) / scale} applied to invoice ${invoice.id} (${invoice.tranId}): ${amount / scale}`,
      touched: [['netsuite', 'invoices', invoice.id]],
      act: () => void insertMemo(ctx, { customer: invoice.customer, currencyId: invoice.currencyId, total: amount + extra, scale, apply: [{ invoice: invoice.id, amount }] }),
    };
  }
  const customers = ctx.sandbox.netsuite.state.list('customer').filter((customer) => customer.isInactive !== true);
  if (customers.length === 0) return null;
  const customer = ctx.random.pick(customers);
  const currencyId = refId(customer.currency);
  const scale = scaleOf(netsuiteCurrency(ctx, currencyId));
  const total = units(ctx.random) * scale;
  return {
    detail: `NetSuite credit memo CM-N${ctx.mutation.index} of ${total / scale} for customer ${String(customer.id)}, applied to nothing`,
    touched: [],
    act: () => void insertMemo(ctx, { customer: String(customer.id), currencyId, total, scale, apply: [] }),
  };
}

/** A NetSuite payment of an open invoice that applies a credit memo of its customer (an open one, or one made for it) with cash. */
function netsuitePaymentWithCredit(ctx: Ctx): Change {
  const invoice = choose(ctx, openNetSuiteInvoices(ctx), 'netsuite_to_invoiced:invoice');
  if (invoice === undefined) return null;
  const currency = netsuiteCurrency(ctx, invoice.currencyId);
  const scale = scaleOf(currency);
  const remaining = minor(invoice.remaining, currency);
  const open = ownMemos(ctx).filter((memo) => memo.customer === invoice.customer && memo.currencyId === invoice.currencyId && minor(memo.remaining, currency) > 0);
  const memo = open.length === 0 || ctx.random.chance(0.3) ? undefined : ctx.random.pick(open);
  const available = memo === undefined ? units(ctx.random) * scale : minor(memo.remaining, currency);
  const credit = Math.min(available, part(ctx, remaining, 0.5));
  const applied = credit + (ctx.random.chance(0.2) ? 0 : part(ctx, remaining - credit, 0.5) * Number(remaining > credit));
  const extra = ctx.random.chance(0.15) ? units(ctx.random) * scale : 0;
  const cash = applied - credit + extra;
  const touched: Touched[] = [['netsuite', 'invoices', invoice.id]];
  if (memo !== undefined) touched.push(['netsuite', 'creditMemos', memo.id]);
  return {
    detail: `NetSuite invoice ${invoice.id} (${invoice.tranId}) paid ${applied / scale}: ${credit / scale} of ${memo === undefined ? `a new credit memo CM-N${ctx.mutation.index} of ${available / scale}` : `credit memo ${memo.id} (${memo.tranId})`} and ${(applied - credit) / scale} of a payment of ${cash / scale}`,
    touched,
    act: () => {
      const memoId = memo?.id ?? insertMemo(ctx, { customer: invoice.customer, currencyId: invoice.currencyId, total: available, scale, apply: [] });
      const payment = ctx.sandbox.netsuite.state.insert('customerPayment', {
        customer: { id: invoice.customer },
        currency: { id: invoice.currencyId },
        payment: cash / scale,
        apply: { items: [{ doc: { id: invoice.id }, apply: true, amount: applied / scale }] },
        credit: { items: [{ doc: { id: memoId }, apply: true, amount: credit / scale }] },
      });
      createdBy(ctx).push(['netsuite', 'payments', String(payment.id)]);
    },
  };
}

/** A NetSuite credit memo unapplied from its invoices, then voided (NetSuite refuses while a payment uses it). */
function netsuiteMemoVoid(ctx: Ctx): Change {
  // Only where unapplying it reopens no invoice it closed: an invoice closed before the first run must stay closed.
  const candidates = ownMemos(ctx).filter((memo) => memo.applications.every((application) => ctx.now.netsuite.invoices.get(application.invoice)?.status === 'A'));
  const memo = choose(ctx, candidates, 'netsuite_to_invoiced:creditNote');
  if (memo === undefined) return null;
  const ns = ctx.sandbox.netsuite.state;
  return {
    detail: `NetSuite credit memo ${memo.id} (${memo.tranId}) unapplied${memo.applications.length === 0 ? '' : ` from ${memo.applications.map((application) => application.invoice).join(', ')}`} and voided`,
    touched: [['netsuite', 'creditMemos', memo.id], ...memo.applications.map((application): Touched => ['netsuite', 'invoices', application.invoice])],
    act: () => {
      if (memo.applications.length > 0) ns.update('creditMemo', memo.id, { apply: { items: memo.applications.map((application) => ({ doc: { id: application.invoice }, apply: false })) } });
      ns.update('creditMemo', memo.id, { voided: true });
    },
  };
}

/**
 * Inserts an Invoiced credit note and issues it; returns its ID. An ID that a credit memo of the books
 * already carries as external ID (`invd-cn-<id>`: the generator's credit memos that claim to come from
 * Invoiced, and refer to nothing) is left to a draft, never synced, so that no person's credit note takes
 * over a credit memo of the books.
 */
function insertCreditNote(ctx: Ctx, fields: { customer: string; currency: string; total: number; draft: boolean }): string {
  const ivd = ctx.sandbox.invoiced.state;
  const body: Rec = { customer: Number(fields.customer), currency: fields.currency, number: `CN-N${ctx.mutation.index}`, items: [{ name: 'Credit', quantity: 1, unit_cost: fields.total / scaleOf(fields.currency) }], draft: true };
  for (let attempt = 0; ; attempt += 1) {
    const note = ivd.insert('credit_notes', { ...body, number: `CN-N${ctx.mutation.index}${attempt === 0 ? '' : `-${attempt}`}` });
    createdBy(ctx).push(['invoiced', 'creditNotes', String(note.id)]);
    if (ctx.sandbox.netsuite.state.findByExternalId('creditMemo', `invd-cn-${note.id}`) !== undefined) continue;
    if (!fields.draft) ivd.update('credit_notes', note.id, { draft: false });
    return String(note.id);
  }
}

/** Invoiced credit notes made on Invoiced that are issued, not voided, with something left. */
function openCreditNotes(ctx: Ctx): InvoicedCreditNoteState[] {
  return [...ctx.now.invoiced.creditNotes.values()].filter((note) => note.netsuiteId === undefined && !note.draft && !note.voided && minor(note.balance, note.currency) > 0);
}

function invoicedCreditNote(ctx: Ctx, applied: boolean): Change {
  const ivd = ctx.sandbox.invoiced.state;
  if (applied) {
    const invoice = choose(ctx, ownInvoicedInvoices(ctx), 'invoiced_to_netsuite:invoice');
    if (invoice === undefined) return null;
    const scale = scaleOf(invoice.currency);
    const amount = part(ctx, minor(invoice.balance, invoice.currency), 0.4);
    const extra = ctx.random.chance(0.3) ? units(ctx.random) * scale : 0;
    return {
      detail: `Invoiced credit note CN-N${ctx.mutation.index} of ${(amount + extra) / scale} applied to invoice #${invoice.id} (${invoice.number}) by a payment of 0: ${amount / scale}`,
      touched: [['invoiced', 'invoices', invoice.id]],
      act: () => {
        const note = insertCreditNote(ctx, { customer: invoice.customer, currency: invoice.currency, total: amount + extra, draft: false });
        const payment = ivd.insert('payments', {
          customer: Number(invoice.customer),
          currency: invoice.currency,
          amount: 0,
          applied_to: [{ type: 'credit_note', credit_note: Number(note), invoice: Number(invoice.id), document_type: 'invoice', amount: amount / scale }],
        });
        createdBy(ctx).push(['invoiced', 'payments', String(payment.id)]);
      },
    };
  }
  const invoices = [...ctx.now.invoiced.invoices.values()].filter((invoice) => !invoice.voided);
  if (invoices.length === 0) return null;
  // A customer with an invoice, in its currency (Invoiced keeps a customer to one currency).
  const model = ctx.random.pick(invoices);
  const scale = scaleOf(model.currency);
  const total = units(ctx.random) * scale;
  const draft = ctx.random.chance(0.15);
  return {
    detail: `Invoiced credit note CN-N${ctx.mutation.index} of ${total / scale} (${model.currency}) for customer #${model.customer}, applied to nothing${draft ? ', a draft' : ''}`,
    touched: [],
    act: () => void insertCreditNote(ctx, { customer: model.customer, currency: model.currency, total, draft }),
  };
}

/** An Invoiced payment of an open invoice made on Invoiced that also applies a credit note of its customer. */
function invoicedPaymentWithCredit(ctx: Ctx): Change {
  const invoice = choose(ctx, ownInvoicedInvoices(ctx), 'invoiced_to_netsuite:invoice');
  if (invoice === undefined) return null;
  const scale = scaleOf(invoice.currency);
  const balance = minor(invoice.balance, invoice.currency);
  const open = openCreditNotes(ctx).filter((note) => note.customer === invoice.customer && note.currency === invoice.currency);
  const note = open.length === 0 || ctx.random.chance(0.3) ? undefined : ctx.random.pick(open);
  const available = note === undefined ? units(ctx.random) * scale : minor(note.balance, note.currency);
  const credit = Math.min(available, part(ctx, balance, 0.5));
  const cash = balance > credit && !ctx.random.chance(0.2) ? part(ctx, balance - credit, 0.5) : 0;
  const extra = ctx.random.chance(0.15) ? units(ctx.random) * scale : 0;
  const touched: Touched[] = [['invoiced', 'invoices', invoice.id]];
  if (note !== undefined) touched.push(['invoiced', 'creditNotes', note.id]);
  return {
    detail: `Invoiced invoice #${invoice.id} (${invoice.number}) paid ${(credit + cash) / scale}: ${credit / scale} of ${note === undefined ? `a new credit note CN-N${ctx.mutation.index} of ${available / scale}` : `credit note #${note.id} (${note.number})`} and ${cash / scale} of a payment of ${(cash + extra) / scale}`,
    touched,
    act: () => {
      const noteId = note?.id ?? insertCreditNote(ctx, { customer: invoice.customer, currency: invoice.currency, total: available, draft: false });
      const payment = ctx.sandbox.invoiced.state.insert('payments', {
        customer: Number(invoice.customer),
        currency: invoice.currency,
        amount: (cash + extra) / scale,
        applied_to: [
          ...(cash > 0 ? [{ type: 'invoice', invoice: Number(invoice.id), amount: cash / scale }] : []),
          { type: 'credit_note', credit_note: Number(noteId), invoice: Number(invoice.id), document_type: 'invoice', amount: credit / scale },
        ],
      });
      createdBy(ctx).push(['invoiced', 'payments', String(payment.id)]);
    },
  };
}

/** An Invoiced credit note made on Invoiced, issued and applied to nothing, voided. */
function invoicedCreditNoteVoid(ctx: Ctx): Change {
  const candidates = openCreditNotes(ctx).filter((note) => minor(note.balance, note.currency) === minor(note.total, note.currency));
  const note = choose(ctx, candidates, 'invoiced_to_netsuite:creditNote');
  if (note === undefined) return null;
  return {
    detail: `Invoiced credit note #${note.id} (${note.number}) voided`,
    touched: [['invoiced', 'creditNotes', note.id]],
    act: () => void ctx.sandbox.invoiced.state.void('credit_notes', Number(note.id)),
  };
}

/** The change of a mutation about credits (`null` for other kinds, or when no record fits). */
export function creditChange(ctx: Ctx): Change {
  switch (ctx.mutation.kind) {
    case 'ns_credit_memo_apply':
      return netsuiteMemo(ctx, true);
    case 'ns_credit_memo_open':
      return netsuiteMemo(ctx, false);
    case 'ns_payment_credit':
      return netsuitePaymentWithCredit(ctx);
    case 'ns_credit_memo_void':
      return netsuiteMemoVoid(ctx);
    case 'ivd_credit_note_apply':
      return invoicedCreditNote(ctx, true);
    case 'ivd_credit_note_open':
      return invoicedCreditNote(ctx, false);
    case 'ivd_payment_credit':
      return invoicedPaymentWithCredit(ctx);
    case 'ivd_credit_note_void':
      return invoicedCreditNoteVoid(ctx);
    default:
      return refundChange(ctx);
  }
}
