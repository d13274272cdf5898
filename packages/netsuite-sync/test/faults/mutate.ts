/**
 * Carrying a mutation out on the sandbox's records, as a person would in each service's UI: through the
 * state APIs (`sandbox.netsuite.state`, `sandbox.invoiced.state`), which follow the services' rules, so a
 * change a service would refuse (a void of an invoice with payments, say) is refused here too and
 * recorded as such. Targets are drawn among the records that fit at that moment; half the time a record
 * the sync left unfinished (an item in its retry queue) is preferred, since that is where a change
 * between two runs is most easily lost.
 *
 * Scope, so that the two sides never record the same money twice (which only a person can sort out):
 * NetSuite payments pay invoices that started in NetSuite; Invoiced payments pay invoices that started on
 * Invoiced. Lines are edited, and invoices voided or deleted, only while nothing is applied to them on
 * either side (both services refuse the last two otherwise).
 */
import { createRandom, type Random } from '@invoiced/netsuite-sync-sandbox';
import type { WorldLedger, Touched } from './ledger';
import { creditChange } from './mutate-credits';
import { deletionChange } from './mutate-deletions';
import { mappingChange } from './mutate-mappings';
import { choose, createdBy, openNetSuiteInvoices, ownInvoicedInvoices, refId, units, type Change, type Ctx, type Rec } from './mutate-support';
import { DELETION_KINDS, MAPPING_KINDS, type Mutation, type MutationResult } from './mutations';
import { minor, nameKey, readState } from './state';
import type { FaultWorld } from './world';

/** Whether nothing is applied to a NetSuite invoice on either side. */
function untouched(ctx: Ctx, id: string): boolean {
  const invoice = ctx.now.netsuite.invoices.get(id);
  const copies = [...ctx.now.invoiced.invoices.values()].filter((copy) => copy.netsuiteId === id);
  return invoice !== undefined && minor(invoice.remaining, 'usd') === minor(invoice.total, 'usd') && copies.every((copy) => minor(copy.balance, copy.currency) === minor(copy.total, copy.currency));
}

function netsuitePayment(ctx: Ctx, full: boolean): Change {
  const invoice = choose(ctx, openNetSuiteInvoices(ctx), 'netsuite_to_invoiced:invoice');
  if (invoice === undefined) return null;
  const raw = ctx.sandbox.netsuite.state.get('invoice', invoice.id) ?? {};
  const currency = (ctx.world.books.netsuite.currencies[Number(refId(raw.currency)) - 1] ?? 'usd').toLowerCase();
  const scale = currency === 'jpy' ? 1 : 100;
  const remaining = minor(invoice.remaining, currency);
  const applied = full ? remaining : Math.max(1, Math.floor(remaining * (0.2 + ctx.random.next() * 0.5)));
  const extra = ctx.random.chance(0.2) ? units(ctx.random) * scale : 0;
  return {
    detail: `NetSuite invoice ${invoice.id} (${invoice.tranId}) paid ${full ? 'in full' : 'in part'}: ${applied / scale}${extra > 0 ? ` (payment ${(applied + extra) / scale}, the rest unapplied)` : ''}`,
    touched: [['netsuite', 'invoices', invoice.id]],
    act: () => {
      const payment = ctx.sandbox.netsuite.state.insert('customerPayment', {
        customer: { id: invoice.customer },
        currency: { id: refId(raw.currency) },
        payment: (applied + extra) / scale,
        apply: { items: [{ doc: { id: invoice.id }, apply: true, amount: applied / scale }] },
      });
      createdBy(ctx).push(['netsuite', 'payments', String(payment.id)]);
    },
  };
}

function netsuiteLines(ctx: Ctx): Change {
  const invoice = choose(ctx, openNetSuiteInvoices(ctx).filter((candidate) => untouched(ctx, candidate.id)), 'netsuite_to_invoiced:invoice');
  if (invoice === undefined) return null;
  const amount = units(ctx.random);
  const add = ctx.random.chance(0.4) ? units(ctx.random) : 0;
  const item = ctx.world.settings.items?.defaultItem ?? '1';
  const lines: Rec[] = [{ line: 1, quantity: 1, rate: amount, amount }];
  if (add > 0) lines.push({ item: { id: item }, quantity: 1, rate: add, amount: add, description: 'Added by a person' });
  return {
    detail: `NetSuite invoice ${invoice.id} (${invoice.tranId}): line 1 now ${amount}${add > 0 ? `, a line of ${add} added` : ''}`,
    touched: [['netsuite', 'invoices', invoice.id]],
    act: () => void ctx.sandbox.netsuite.state.update('invoice', invoice.id, { item: { items: lines } }),
  };
}

function netsuiteCustomer(ctx: Ctx, clash: boolean): { fields: Rec; name: string } | { id: string; currency: string } | undefined {
  const ns = ctx.sandbox.netsuite.state;
  const customers = ns.list('customer').filter((customer) => customer.isInactive !== true);
  const model = customers.length === 0 ? undefined : ctx.random.pick(customers);
  if (model === undefined) return undefined;
  if (!clash) return { id: String(model.id), currency: refId(model.currency) };
  const names = [...ctx.now.netsuite.customers.values(), ...ctx.now.invoiced.customers.values()].map((customer) => customer.name).filter((name) => name.trim() !== '');
  const name = ctx.mutation.nul ? `${ctx.random.pick(names)}\u0000 (2)` : variant(ctx.random, ctx.random.pick(names));
  const number = `CUST-N${ctx.mutation.index}-${ctx.world.scenario.seed}`;
  return { name, fields: { entityId: number, companyName: name, isPerson: false, subsidiary: { id: refId(model.subsidiary) }, currency: model.currency } };
}

/** A spelling of `name` that the sync takes for the same name: other case, other spaces. */
export function variant(random: Random, name: string): string {
  const spelled = [
    () => name.toUpperCase(),
    () => name.toLowerCase(),
    () => ` ${name} `,
    () => name.replace(/ /g, '  '),
    () => name.replace(/^(.)/, (first) => (first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase())),
  ];
  const spelling = random.pick(spelled)();
  return nameKey(spelling) === nameKey(name) && spelling !== name ? spelling : `${name} `;
}

function netsuiteInvoice(ctx: Ctx, clash: boolean): Change {
  const customer = netsuiteCustomer(ctx, clash);
  if (customer === undefined) return null;
  const number = ctx.mutation.nul ? `INV-\u0000N${ctx.mutation.index}` : `INV-N${ctx.mutation.index}`;
  const item = ctx.world.settings.items?.defaultItem ?? '1';
  const lines = Array.from({ length: ctx.random.int(1, 3) }, () => units(ctx.random)).map((amount) => ({ item: { id: item }, quantity: 1, rate: amount, amount }));
  const ns = ctx.sandbox.netsuite.state;
  return {
    detail: `NetSuite invoice ${JSON.stringify(number)} of ${lines.reduce((sum, line) => sum + line.amount, 0)} created for ${'name' in customer ? `a new customer ${JSON.stringify(customer.name)}` : `customer ${customer.id}`}`,
    touched: [],
    act: () => {
      let entity: string;
      let currency: string;
      if ('name' in customer) {
        const record = ns.insert('customer', customer.fields);
        entity = String(record.id);
        currency = refId(record.currency);
        createdBy(ctx).push(['netsuite', 'customers', entity]);
      } else {
        ({ id: entity, currency } = customer);
      }
      const invoice = ns.insert('invoice', { entity: { id: entity }, tranId: number, currency: { id: currency }, memo: 'Created by a person', item: { items: lines } });
      createdBy(ctx).push(['netsuite', 'invoices', String(invoice.id)]);
    },
  };
}

function netsuiteVoidOrDelete(ctx: Ctx, remove: boolean): Change {
  const invoice = choose(ctx, openNetSuiteInvoices(ctx).filter((candidate) => untouched(ctx, candidate.id)), 'netsuite_to_invoiced:invoice');
  if (invoice === undefined) return null;
  return {
    detail: `NetSuite invoice ${invoice.id} (${invoice.tranId}) ${remove ? 'deleted' : 'voided'}`,
    touched: [['netsuite', 'invoices', invoice.id]],
    act: () => {
      if (remove) {
        ctx.sandbox.netsuite.state.delete('invoice', invoice.id);
        ctx.ledger.deletedNetSuiteInvoices.add(invoice.id);
      } else {
        ctx.sandbox.netsuite.state.update('invoice', invoice.id, { voided: true });
      }
    },
  };
}

function invoicedInvoice(ctx: Ctx, clash: boolean): Change {
  const ivd = ctx.sandbox.invoiced.state;
  const customers = [...ctx.now.invoiced.customers.values()];
  if (customers.length === 0) return null;
  const model = ctx.random.pick(customers);
  const names = [...ctx.now.netsuite.customers.values(), ...customers].map((customer) => customer.name).filter((name) => name.trim() !== '');
  const name = clash ? (ctx.mutation.nul ? `${ctx.random.pick(names)}\u0000 (2)` : variant(ctx.random, ctx.random.pick(names))) : undefined;
  const currencies = ctx.world.books.netsuite.currencies.map((code) => code.toLowerCase());
  const theirs = [...ctx.now.invoiced.invoices.values()].find((invoice) => invoice.customer === model.id)?.currency;
  const currency = name === undefined && theirs !== undefined && currencies.includes(theirs) ? theirs : (currencies[0] ?? 'usd');
  const number = ctx.mutation.nul ? `IVD-\u0000N${ctx.mutation.index}` : `IVD-N${ctx.mutation.index}`;
  const items = Array.from({ length: ctx.random.int(1, 2) }, (_, index) => ({ name: `Work ${index + 1}`, quantity: 1, unit_cost: units(ctx.random) }));
  return {
    detail: `Invoiced invoice ${JSON.stringify(number)} (${currency}) created for ${name === undefined ? `customer #${model.id}` : `a new customer ${JSON.stringify(name)}`}`,
    touched: [],
    act: () => {
      let customer = model.id;
      if (name !== undefined) {
        customer = String(ivd.insert('customers', { name }).id);
        createdBy(ctx).push(['invoiced', 'customers', customer]);
      }
      const invoice = ivd.insert('invoices', { customer: Number(customer), number, currency, items, draft: false });
      createdBy(ctx).push(['invoiced', 'invoices', String(invoice.id)]);
    },
  };
}

function invoicedInvoiceEdit(ctx: Ctx, voiding: boolean): Change {
  const candidates = ownInvoicedInvoices(ctx).filter((invoice) => minor(invoice.balance, invoice.currency) === minor(invoice.total, invoice.currency));
  const invoice = choose(ctx, candidates, 'invoiced_to_netsuite:invoice');
  if (invoice === undefined) return null;
  const items = Array.from({ length: ctx.random.int(1, 3) }, (_, index) => ({ name: `Edited ${index + 1}`, quantity: ctx.random.int(1, 3), unit_cost: units(ctx.random) }));
  return {
    detail: `Invoiced invoice #${invoice.id} (${invoice.number}) ${voiding ? 'voided' : `now ${items.map((item) => item.quantity * item.unit_cost).join(' + ')}`}`,
    touched: [['invoiced', 'invoices', invoice.id]],
    act: () => {
      if (voiding) ctx.sandbox.invoiced.state.void('invoices', Number(invoice.id));
      else ctx.sandbox.invoiced.state.update('invoices', Number(invoice.id), { items });
    },
  };
}

function invoicedPayment(ctx: Ctx): Change {
  const invoice = choose(ctx, ownInvoicedInvoices(ctx), 'invoiced_to_netsuite:invoice');
  if (invoice === undefined) return null;
  const scale = invoice.currency === 'jpy' ? 1 : 100;
  const balance = minor(invoice.balance, invoice.currency);
  const applied = ctx.random.chance(0.5) ? balance : Math.max(1, Math.floor(balance * (0.2 + ctx.random.next() * 0.6)));
  const extra = ctx.random.chance(0.15) ? units(ctx.random) * scale : 0;
  return {
    detail: `Invoiced invoice #${invoice.id} (${invoice.number}) paid ${applied / scale}${extra > 0 ? ` (payment ${(applied + extra) / scale})` : ''}`,
    touched: [['invoiced', 'invoices', invoice.id]],
    act: () => {
      const payment = ctx.sandbox.invoiced.state.insert('payments', {
        customer: Number(invoice.customer),
        currency: invoice.currency,
        amount: (applied + extra) / scale,
        applied_to: [{ type: 'invoice', invoice: Number(invoice.id), amount: applied / scale }],
      });
      createdBy(ctx).push(['invoiced', 'payments', String(payment.id)]);
    },
  };
}

function invoicedPaymentChange(ctx: Ctx, voiding: boolean): Change {
  const candidates = [...ctx.now.invoiced.payments.values()].filter((payment) => !payment.voided && !/^NS-(PAY|CM)-/.test(payment.reference ?? '') && (voiding || payment.applications.length === 1));
  const payment = choose(ctx, candidates, 'invoiced_to_netsuite:payment');
  if (payment === undefined) return null;
  const touched: Touched[] = [['invoiced', 'payments', payment.id], ...payment.applications.map((application): Touched => ['invoiced', 'invoices', application.invoice])];
  if (voiding) return { detail: `Invoiced payment #${payment.id} voided`, touched, act: () => void ctx.sandbox.invoiced.state.void('payments', Number(payment.id)) };
  const application = payment.applications[0];
  const invoice = ctx.now.invoiced.invoices.get(application?.invoice ?? '');
  if (application === undefined || invoice === undefined) return null;
  const scale = payment.currency === 'jpy' ? 1 : 100;
  const most = minor(application.amount, payment.currency) + minor(invoice.balance, payment.currency);
  const amount = Math.max(1, Math.floor(most * (0.3 + ctx.random.next() * 0.7)));
  return {
    detail: `Invoiced payment #${payment.id} now ${amount / scale}, all of it applied to #${invoice.id}`,
    touched,
    act: () => void ctx.sandbox.invoiced.state.update('payments', Number(payment.id), { amount: amount / scale, applied_to: [{ type: 'invoice', invoice: Number(invoice.id), amount: amount / scale }] }),
  };
}

function changeOf(ctx: Ctx): Change {
  switch (ctx.mutation.kind) {
    case 'ns_invoice_memo': {
      const invoice = choose(ctx, openNetSuiteInvoices(ctx), 'netsuite_to_invoiced:invoice');
      if (invoice === undefined) return null;
      return { detail: `NetSuite invoice ${invoice.id} (${invoice.tranId}): memo edited`, touched: [['netsuite', 'invoices', invoice.id]], act: () => void ctx.sandbox.netsuite.state.update('invoice', invoice.id, { memo: `Edited by a person (${ctx.mutation.index})` }) };
    }
    case 'ns_invoice_lines':
      return netsuiteLines(ctx);
    case 'ns_invoice_pay_part':
      return netsuitePayment(ctx, false);
    case 'ns_invoice_pay_full':
      return netsuitePayment(ctx, true);
    case 'ns_invoice_void':
      return netsuiteVoidOrDelete(ctx, false);
    case 'ns_invoice_delete':
      return netsuiteVoidOrDelete(ctx, true);
    case 'ns_invoice_create':
      return netsuiteInvoice(ctx, false);
    case 'ns_customer_clash':
      return netsuiteInvoice(ctx, true);
    case 'ivd_invoice_create':
      return invoicedInvoice(ctx, false);
    case 'ivd_customer_clash':
      return invoicedInvoice(ctx, true);
    case 'ivd_invoice_edit':
      return invoicedInvoiceEdit(ctx, false);
    case 'ivd_invoice_void':
      return invoicedInvoiceEdit(ctx, true);
    case 'ivd_payment_create':
      return invoicedPayment(ctx);
    case 'ivd_payment_edit':
      return invoicedPaymentChange(ctx, false);
    case 'ivd_payment_void':
      return invoicedPaymentChange(ctx, true);
    default:
      if ((DELETION_KINDS as readonly string[]).includes(ctx.mutation.kind)) return deletionChange(ctx);
      return (MAPPING_KINDS as readonly string[]).includes(ctx.mutation.kind) ? mappingChange(ctx) : creditChange(ctx);
  }
}

/** Carries out one mutation on `world`'s sandbox, records it in `ledger`, and says what became of it. */
export async function applyMutation(world: FaultWorld, ledger: WorldLedger, mutation: Mutation): Promise<MutationResult> {
  const items = await world.store.listRetries(world.connectionId, { status: 'pending' });
  const ctx: Ctx = {
    world,
    sandbox: world.sandbox,
    now: readState(world.sandbox),
    random: createRandom(`netsuite-sync faults ${world.scenario.seed} mutation ${mutation.index}`),
    mutation,
    ledger,
    created: [],
    queued: new Set(items.map((item) => `${item.direction}:${item.entity}:${item.sourceId}`)),
  };
  const change = changeOf(ctx);
  let result: MutationResult;
  if (change === null) {
    result = { mutation, outcome: 'none', detail: 'no record fitted' };
  } else {
    try {
      change.act();
      ledger.adopt(readState(world.sandbox), [...change.touched, ...createdBy(ctx)]);
      result = { mutation, outcome: 'applied', detail: change.detail };
    } catch (error) {
      // What a refused change made before it was refused (a credit memo for the payment refused) stays, as the person left it.
      ledger.adopt(readState(world.sandbox), [...change.touched, ...createdBy(ctx)]);
      result = { mutation, outcome: 'refused', detail: `${change.detail}: refused (${error instanceof Error ? error.message : String(error)})` };
    }
  }
  ledger.results.push(result);
  return result;
}
