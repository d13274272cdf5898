/**
 * The fault-injection harness (docs/reliability.md): for each seed, generated books, a seeded plan of
 * faults (429s, 5xx, timeouts, dropped connections, lost answers to writes that were saved), crashes and
 * aborts, runs until one completes, then the invariants. `pnpm test` runs 200 seeds; `pnpm test:faults`
 * 5,000; `FAULT_SEED=<n> pnpm test:faults` replays one. Each test runs a chunk of seeds and reports every
 * failing seed of the chunk with its plan and its replay command. Pinned plans replay, exactly, fault
 * sequences the seeds met; the last block checks that the checks themselves see damage. In the changing
 * world (`FAULT_WORLD=changing`, the default) the books change before and during the planned runs
 * (faults/mutations.ts); in the static world (`FAULT_WORLD=static`) they never change. Then clean runs go on until one converges, and the state is checked
 * against the books as the world left them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkEnd, checkRun, checkState, recordErrorProblems } from './faults/invariants';
import { applyMutation } from './faults/mutate';
import { chunks, harnessOptions } from './faults/options';
import { CREDIT_KINDS, DELETION_KINDS, LATER_KINDS, MAPPING_KINDS, mutationPlan } from './faults/mutations';
import { addSeed, emptyTotals, writeReport } from './faults/report';
import { PINNED_PLANS } from './faults/pinned';
import { cleanSyncs } from './faults/clean-syncs';
import { describeFailure, runScenario, runSeed } from './faults/run-seed';
import { scenarioOf } from './faults/scenario';
import { findLeaks } from './faults/secrets';
import { webhookProblems } from './faults/webhooks';
import { createRandom } from '@invoiced/netsuite-sync-sandbox';

const options = harnessOptions();
const totals = emptyTotals();
let started = 0;

beforeAll(() => {
  started = performance.now();
});
afterAll(() => {
  if (options.reportFile !== undefined) writeReport(options.reportFile, totals, performance.now() - started, options.profile, options.world);
});

/** A seed takes well under a second; a chunk gets ten seconds per seed before vitest gives up on it. */
const SECONDS_PER_SEED = 10;

describe(`fault injection: ${options.seeds.length} seed${options.seeds.length === 1 ? '' : 's'} (${options.profile}, ${options.world} world)`, () => {
  for (const seeds of chunks(options.seeds, options.chunkSize)) {
    const name = seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]} to ${seeds.at(-1)}`;
    it(
      `${name}: every record once, right, and reported when refused; no echo, no double payment, no secret`,
      async () => {
        const failures: string[] = [];
        for (const seed of seeds) {
          const result = await runSeed(seed, options.world, options.traceDir, options.mappings, options.webhooks);
          addSeed(totals, result);
          if (result.violations.length > 0) failures.push(describeFailure(result));
        }
        expect(failures, `${failures.length} of ${seeds.length} seeds failed:\n\n${failures.join('\n\n')}\n`).toEqual([]);
      },
      seeds.length * SECONDS_PER_SEED * 1000,
    );
  }
});

/** Whether a change is one of a mapped field's (drawn only in a world with field mappings), or a deletion on Invoiced (only with webhooks on): both from streams of their own. */
const mapping = (kind: string) => (MAPPING_KINDS as readonly string[]).includes(kind) || (DELETION_KINDS as readonly string[]).includes(kind);

// A replay (`FAULT_SEED`) runs its seed alone.
describe.skipIf(options.profile === 'replay')('fault injection: scenarios', () => {
  it('draws mapped-field changes from a stream of their own: without mappings a seed is the scenario it was before', () => {
    let mapped = 0;
    for (let seed = 1; seed <= 50; seed += 1) {
      const on = scenarioOf(seed);
      const off = scenarioOf(seed, 'changing', false);
      expect(on.fieldMappings).toBe(true);
      expect(off.fieldMappings).toBe(false);
      expect(off.mutations.some((mutation) => (MAPPING_KINDS as readonly string[]).includes(mutation.kind))).toBe(false);
      expect(on.mutations.filter((mutation) => !(MAPPING_KINDS as readonly string[]).includes(mutation.kind))).toEqual(off.mutations);
      expect({ ...on, mutations: [], fieldMappings: false }).toEqual({ ...off, mutations: [] });
      mapped += on.mutations.length - off.mutations.length;
      expect(new Set(on.mutations.map((mutation) => mutation.index)).size).toBe(on.mutations.length);
    }
    expect(mapped).toBeGreaterThan(50);
  });

  it('draws webhooks and deletions on Invoiced from streams of their own: with FAULT_WEBHOOKS=off a seed is the scenario it was before', () => {
    let deletions = 0;
    let hooked = 0;
    for (let seed = 1; seed <= 100; seed += 1) {
      const on = scenarioOf(seed);
      const off = scenarioOf(seed, 'changing', true, false);
      expect(off.webhooks).toBeNull();
      expect(off.mutations.some((mutation) => (DELETION_KINDS as readonly string[]).includes(mutation.kind))).toBe(false);
      expect(on.mutations.filter((mutation) => !(DELETION_KINDS as readonly string[]).includes(mutation.kind))).toEqual(off.mutations);
      expect({ ...on, mutations: [], webhooks: null }).toEqual({ ...off, mutations: [] });
      deletions += on.mutations.length - off.mutations.length;
      if (on.webhooks !== null) hooked += 1;
    }
    expect(deletions).toBeGreaterThan(40);
    expect(hooked).toBeGreaterThan(20);
    expect(hooked).toBeLessThan(50);
  });

  it('draws credits from streams of their own: the other changes of a seed are those it had before credits were synced', () => {
    let credited = 0;
    for (let seed = 1; seed <= 50; seed += 1) {
      const random = createRandom(`netsuite-sync faults ${seed}`);
      const planned = scenarioOf(seed).plannedRuns.length;
      const before = mutationPlan(random.fork('mutations'), planned);
      const now = scenarioOf(seed).mutations;
      const credits = now.filter((mutation) => (CREDIT_KINDS as readonly string[]).includes(mutation.kind));
      credited += credits.length;
      expect(now.filter((mutation) => !credits.includes(mutation) && !(LATER_KINDS as readonly string[]).includes(mutation.kind) && !mapping(mutation.kind))).toEqual(before);
      expect(new Set(now.map((mutation) => mutation.index)).size).toBe(now.length);
    }
    expect(credited).toBeGreaterThan(50);
    expect(Array.from({ length: 50 }, (_, index) => scenarioOf(index + 1).books.creditMemos ?? 0).filter((count) => count > 0).length).toBeGreaterThan(25);
  });

  it('draws refunds from streams of their own: the other changes and the other sizes of the books are those before refunds were synced', () => {
    let refunding = 0;
    for (let seed = 1; seed <= 50; seed += 1) {
      const random = createRandom(`netsuite-sync faults ${seed}`);
      const scenario = scenarioOf(seed);
      const before = mutationPlan(random.fork('mutations'), scenario.plannedRuns.length, random.fork('credit mutations'));
      const refunds = scenario.mutations.filter((mutation) => (LATER_KINDS as readonly string[]).includes(mutation.kind));
      refunding += refunds.length;
      expect(scenario.mutations.filter((mutation) => !refunds.includes(mutation) && !mapping(mutation.kind))).toEqual(before);
      const sizes = random.fork('sizes');
      expect([scenario.books.customers, scenario.books.invoices, scenario.books.payments, scenario.books.invoiced?.customers, scenario.books.invoiced?.invoices, scenario.books.invoiced?.payments]).toEqual([
        sizes.int(3, 8),
        sizes.int(10, 30),
        sizes.int(3, 14),
        sizes.int(2, 6),
        sizes.int(2, 10),
        sizes.int(0, 6),
      ]);
    }
    expect(refunding).toBeGreaterThan(50);
    const books = Array.from({ length: 50 }, (_, index) => scenarioOf(index + 1).books);
    expect(books.filter((book) => (book.invoiced?.refunds ?? 0) > 0 && (book.invoiced?.processedShare ?? 0) > 0).length).toBeGreaterThan(20);
    expect(books.filter((book) => (book.customerRefunds ?? 0) > 0).length).toBeGreaterThan(20);
  });
});

describe.skipIf(options.profile === 'replay')('fault injection: pinned plans', () => {
  for (const plan of PINNED_PLANS) {
    it(`pinned: ${plan.name}`, async () => {
      const result = await runScenario(plan.scenario, `pnpm test:faults -t "pinned: ${plan.name}"`);
      expect(result.violations, describeFailure(result)).toEqual([]);
    });
  }
});

/**
 * The checks themselves: a cleanly synced seed passes them, and each kind of damage a faulty sync could
 * do, made by hand, is reported.
 */
describe.skipIf(options.profile === 'replay')('the fault harness notices', () => {
  const SEED = 3;
  const syncs = cleanSyncs();
  const clean = () => syncs.sync(SEED);
  afterEach(syncs.close);

  it('nothing wrong after a clean sync', async () => {
    const { context, last } = await clean();
    expect(await checkState(context, last, true)).toEqual([]);
    expect(checkRun(last)).toEqual([]);
  });

  const deletable = async () => {
    // The first seed whose clean sync writes an invoice to NetSuite that Invoiced lets a person delete (nothing applied).
    for (let seed = 1; seed <= 10; seed += 1) {
      const { context, last } = await syncs.sync(seed);
      const { sandbox, store, connectionId } = context.world;
      expect(await webhookProblems(context.world, context.ledger, undefined, true)).toEqual([]);
      const written = (await store.listLinks(connectionId, 'invoice')).filter((link) => link.origin === 'invoiced');
      // Deleted on Invoiced behind the sync's back (no event read since): its NetSuite copy stays.
      const deleted = written.find((link) => {
        try {
          sandbox.invoiced.state.delete('invoices', Number(link.invoicedId));
          return true;
        } catch {
          return false; // Invoiced refuses to delete an invoice with payments applied
        }
      });
      const paymentLink = (await store.listLinks(connectionId, 'payment')).find((link) => link.origin === 'netsuite');
      const payment = sandbox.invoiced.state.get('payments', Number(paymentLink?.invoicedId));
      if (deleted !== undefined && payment !== undefined) return { context, last, deleted, payment };
      await syncs.close();
    }
    throw new Error('no seed of 1 to 10 writes a deletable invoice to NetSuite and imports a payment');
  };

  it('webhooks and deletions: an inbox event left pending, an Invoiced invoice deleted whose NetSuite copy stays, an Invoiced payment of the sync twice', async () => {
    const { context, last, deleted, payment } = await deletable();
    const { world, ledger } = context;
    const { sandbox, store, connectionId } = world;
    ledger.deletedOnInvoiced.add(`invoice:${deleted.invoicedId}`);
    sandbox.invoiced.state.insert('payments', { customer: payment.customer, amount: 1, currency: payment.currency, reference: payment.reference });
    await store.addEvent(connectionId, { id: '9000001', type: 'invoice.updated', entity: 'invoice', sourceId: deleted.invoicedId, occurredAt: last.time, receivedAt: last.time });
    const problems = await webhookProblems(world, ledger, undefined, true);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`Invoiced invoice #${deleted.invoicedId} was deleted on Invoiced, but its NetSuite copy ${deleted.netsuiteId} \\(invd-inv-${deleted.invoicedId}\\) is still there`)));
    expect(problems).toContainEqual(`Invoiced payment ${payment.reference} more than once`);
    expect(problems).toContainEqual(expect.stringMatching(/^1 inbox events still pending after the last run: 9000001 invoice.updated/));
    expect(await checkState(context, last, true)).toContainEqual(expect.stringMatching(new RegExp(`Invoiced invoice #${deleted.invoicedId} was voided on Invoiced, but its NetSuite copy`)));
  });

  it('a NetSuite invoice on Invoiced twice, and a NetSuite payment on Invoiced twice', async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId } = context.world;
    const invoiceLink = (await store.listLinks(connectionId, 'invoice')).find((link) => link.origin === 'netsuite');
    const paymentLink = (await store.listLinks(connectionId, 'payment')).find((link) => link.origin === 'netsuite');
    const invoice = sandbox.invoiced.state.get('invoices', Number(invoiceLink?.invoicedId));
    const payment = sandbox.invoiced.state.get('payments', Number(paymentLink?.invoicedId));
    if (invoiceLink === undefined || invoice === undefined || paymentLink === undefined || payment === undefined) throw new Error(`seed ${SEED} imports no invoice or payment`);
    sandbox.invoiced.state.insert('invoices', {
      customer: invoice.customer,
      number: `${invoice.number}-again`,
      currency: invoice.currency,
      items: [{ name: 'Again', quantity: 1, unit_cost: 10 }],
      metadata: { netsuite_id: invoiceLink.netsuiteId },
    });
    sandbox.invoiced.state.insert('payments', { customer: payment.customer, amount: 1, currency: payment.currency, reference: payment.reference });
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite invoice ${invoiceLink.netsuiteId} is on Invoiced 2 times`)));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite payment NS-PAY-${paymentLink.netsuiteId} is on Invoiced 2 times`)));
  });

  it('an imported invoice that is gone, with no record error', async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId } = context.world;
    const links = await store.listLinks(connectionId, 'invoice');
    const unpaid = links.find((link) => {
      const invoice = sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
      return link.origin === 'netsuite' && invoice !== undefined && invoice.balance === invoice.total;
    });
    if (unpaid === undefined) throw new Error(`seed ${SEED} imports no unpaid invoice`);
    sandbox.invoiced.state.delete('invoices', Number(unpaid.invoicedId));
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite invoice ${unpaid.netsuiteId} .* is missing on the other side, and no record error says why`)));
    expect(violations).toContainEqual(expect.stringMatching(/points at an invoice that does not exist/));
  });

  it('an imported invoice written back to NetSuite (an echo), and a wrong amount', async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId, books } = context.world;
    const links = await store.listLinks(connectionId, 'invoice');
    const imported = links.find((link) => link.origin === 'netsuite');
    const written = (await store.listLinks(connectionId, 'payment')).find((link) => link.origin === 'invoiced');
    const source = sandbox.netsuite.state.get('invoice', imported?.netsuiteId ?? '');
    if (imported === undefined || source === undefined || written === undefined) throw new Error(`seed ${SEED} has no imported invoice or no payment written to NetSuite`);
    sandbox.netsuite.state.insert('invoice', {
      entity: source.entity,
      tranId: 'ECHO-1',
      externalId: `invd-inv-${imported.invoicedId}`,
      item: { items: [{ item: { id: books.netsuite.items[0]?.id ?? '1' }, amount: 10 }] },
    });
    const payment = sandbox.netsuite.state.get('customerPayment', written.netsuiteId);
    sandbox.netsuite.state.update('customerPayment', written.netsuiteId, { payment: Number(payment?.payment) + 1 });
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`external ID invd-inv-${imported.invoicedId}\\) was created though it is no Invoiced invoice the sync writes`)));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`Invoiced payment #${written.invoicedId} .* on Invoiced but NetSuite payment ${written.netsuiteId} is`)));
  });

  it('a retry item left for a record that is linked, and a cursor moved by a run that never started its phase', async () => {
    const { context, last } = await clean();
    const { store, connectionId } = context.world;
    const [link] = await store.listLinks(connectionId, 'invoice');
    if (link === undefined) throw new Error(`seed ${SEED} links no invoice`);
    const direction = link.origin === 'netsuite' ? 'netsuite_to_invoiced' : 'invoiced_to_netsuite';
    const sourceId = link.origin === 'netsuite' ? link.netsuiteId : link.invoicedId;
    const lastError = { code: 'CUSTOMER_NOT_SYNCED', message: 'waiting', resolution: 'wait' };
    await store.saveRetry(connectionId, { key: `${direction}:invoice:${sourceId}`, entity: 'invoice', direction, sourceId, number: null, attempts: 1, lastError, status: 'pending', fingerprint: null, updatedAt: last.time });
    expect(await checkState(context, last, true)).toContainEqual(expect.stringMatching(/waits though the record is linked/));
    const moved = { ...last, events: [], cursorsBefore: { ...last.cursorsAfter, invoiced_payments: null } };
    expect(checkRun(moved)).toContainEqual(expect.stringMatching(/moved the cursor of invoiced_payments, a phase it never started/));
  });

  it('a credit memo waiting with CREDIT_APPLICATION_REFUSED though its credit note on Invoiced has enough left for what it applies', async () => {
    const CREDITS_SEED = 4710; // books with credit memos in NetSuite
    const synced = await syncs.sync(CREDITS_SEED);
    const { context, last } = synced;
    const { store, connectionId } = context.world;
    const link = (await store.listLinks(connectionId, 'creditNote')).find((candidate) => candidate.origin === 'netsuite');
    if (link === undefined) throw new Error(`seed ${CREDITS_SEED} imports no credit memo`);
    const lastError = { code: 'CREDIT_APPLICATION_REFUSED', message: `Credit memo ${link.netsuiteId}: refused`, resolution: 'act' };
    await store.saveRetry(connectionId, { key: `netsuite_to_invoiced:creditNote:${link.netsuiteId}`, entity: 'creditNote', direction: 'netsuite_to_invoiced', sourceId: link.netsuiteId, number: null, attempts: 1, lastError, status: 'pending', fingerprint: null, updatedAt: last.time });
    expect(await checkState(context, last, true)).toContainEqual(expect.stringMatching(new RegExp(`waits with CREDIT_APPLICATION_REFUSED .*, but Invoiced credit note #${link.invoicedId} .* has .* left.*, enough for`)));
  });

  it('credits the sync never followed: a credit memo applied in NetSuite missing on Invoiced, the balance wrong; a stray credit memo', async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId } = context.world;
    const imported = (await store.listLinks(connectionId, 'invoice')).find((link) => link.origin === 'netsuite' && Number(sandbox.netsuite.state.get('invoice', link.netsuiteId)?.amountRemaining) > 0);
    if (imported === undefined) throw new Error(`seed ${SEED} imports no open invoice`);
    const result = await applyMutation(context.world, context.ledger, { index: 0, kind: 'ns_credit_memo_apply', run: 1, op: null, target: imported.netsuiteId, nul: false });
    expect(result.outcome).toBe('applied');
    const memo = sandbox.netsuite.state.list('creditMemo').find((record) => record.tranId === 'CM-N0');
    if (memo === undefined) throw new Error('the change made no credit memo');
    // A credit memo for a credit note Invoiced does not have (the sync writes `invd-cn-<id>` only for its own).
    sandbox.netsuite.state.insert('creditMemo', { entity: memo.entity, externalId: 'invd-cn-9999', item: { items: [{ item: { id: context.world.settings.items?.defaultItem ?? '1' }, amount: 10 }] } });
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite credit memo ${String(memo.id)} .* is missing on the other side, and no record error says why`)));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite invoice ${imported.netsuiteId} .*imported as Invoiced invoice #${imported.invoicedId}, .* in NetSuite with .* unpaid, has a balance of .*credit memos ${String(memo.id)} applied to it`)));
    expect(violations).toContainEqual(expect.stringMatching(/external ID invd-cn-9999\) was created though it is no Invoiced credit note the sync writes/));
  });

  it('refunds the sync never followed: an Invoiced refund missing in NetSuite, a NetSuite refund left in a payment copy, a stray customer refund', async () => {
    const { context, last } = await clean();
    const { sandbox } = context.world;
    // The record a change picks is drawn from its index: the first index whose change finds one.
    const change = async (kind: 'ivd_refund' | 'ns_refund_payment') => {
      for (let index = 0; index < 20; index += 1) {
        const result = await applyMutation(context.world, context.ledger, { index, kind, run: 1, op: null, nul: false });
        if (result.outcome !== 'none') return result;
      }
      throw new Error(`seed ${SEED}: no ${kind} change found a record`);
    };
    expect((await change('ivd_refund')).outcome).toBe('applied');
    const refund = sandbox.invoiced.state.list('refunds').at(-1);
    expect((await change('ns_refund_payment')).outcome).toBe('applied');
    const customer = sandbox.netsuite.state.list('customer')[0];
    sandbox.netsuite.state.insert('customerPayment', { customer: { id: String(customer?.id) }, payment: 40, externalId: 'not-the-sync' });
    const paid = sandbox.netsuite.state.list('customerPayment').at(-1);
    sandbox.netsuite.state.insert('customerRefund', { customer: { id: String(customer?.id) }, account: { id: context.world.settings.refundAccount ?? '2' }, externalId: 'invd-ref-9999', apply: { items: [{ doc: { id: String(paid?.id) }, apply: true, amount: 10 }] } });
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`Invoiced refund #${String(refund?.id)} .* is missing on the other side, and no record error says why`)));
    expect(violations).toContainEqual(expect.stringMatching(/NetSuite payment \d+ .*must be .* on Invoiced \(.* refunded by NetSuite customer refunds|NetSuite payment \d+ .* is missing on the other side/));
    expect(violations).toContainEqual(expect.stringMatching(/customer refund \d+ \(invd-ref-9999\) was written though Invoiced has no such refund: a stray/));
  });

  it('a change in NetSuite the sync never followed: a partial payment missing on Invoiced, the balance wrong; and a run left running', async () => {
    const { context, last } = await clean();
    const { store, connectionId } = context.world;
    const imported = (await store.listLinks(connectionId, 'invoice')).find((link) => link.origin === 'netsuite');
    if (imported === undefined) throw new Error(`seed ${SEED} imports no invoice`);
    const result = await applyMutation(context.world, context.ledger, { index: 0, kind: 'ns_invoice_pay_part', run: 1, op: null, target: imported.netsuiteId, nul: false });
    expect(result.outcome).toBe('applied');
    const violations = await checkState(context, last, true);
    expect(violations).toContainEqual(expect.stringMatching(/NetSuite payment \d+ .* is missing on the other side, and no record error says why/));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite invoice ${imported.netsuiteId} .*imported as Invoiced invoice #${imported.invoicedId}, open in NetSuite with .* unpaid, has a balance of`)));
    await store.startRun(connectionId, { id: 'run-of-a-dead-process', trigger: 'manual', startedAt: last.time });
    expect(await checkEnd(context)).toContainEqual(expect.stringMatching(/run run-of-a-dead-process .* is still running/));
  });

  it('a record error without a resolution or that does not name its record, and a leaked credential', () => {
    const error = { entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId: '100007', number: 'INV-10007', code: 'TOTAL_MISMATCH', occurredAt: '' } as const;
    expect(recordErrorProblems({ ...error, message: 'Invoice INV-10007 does not add up.', resolution: 'Fix it.' })).toEqual([]);
    expect(recordErrorProblems({ ...error, message: 'Invoice INV-10007 does not add up.', resolution: '' })).toContainEqual(expect.stringMatching(/no resolution/));
    expect(recordErrorProblems({ ...error, message: 'An invoice does not add up.', resolution: 'Fix it.' })).toContainEqual(expect.stringMatching(/does not name the record/));
    const { secrets } = scenarioOf(SEED);
    expect(findLeaks(secrets, [['a log line', `request failed {"authorization":"Basic ${Buffer.from(`${secrets.apiKey}:`).toString('base64')}"}`]])).toHaveLength(1);
    expect(findLeaks(secrets, [['an error', `bad signature for ${secrets.tokenSecret.slice(0, 30)}`]])).toContainEqual(expect.stringMatching(/part of tokenSecret appears in an error/));
    expect(findLeaks(secrets, [['a log line', 'GET /invoices 200']])).toEqual([]);
  });
});
