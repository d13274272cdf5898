/**
 * Pinned plans: fault sequences the seeded runs met (see docs/reliability.md), fixed so that they replay
 * exactly. Each takes a seed's books, handles records one at a time (`recordConcurrency: 1`, so requests
 * arrive in the same order on every run) and schedules its faults or its crash by request or operation
 * number instead of drawing them; the runs after it are clean, and the same invariants are checked.
 */
import { cleanRun, scenarioOf, type RunPlan, type Scenario } from './scenario';

/** A pinned plan. */
export interface PinnedPlan {
  /** Also the name of its test. */
  readonly name: string;
  readonly scenario: Scenario;
}

function pinned(seed: number, first: Partial<RunPlan> | null): Scenario {
  return { ...scenarioOf(seed, 'changing', true, false), recordConcurrency: 1, plannedRuns: first === null ? [] : [{ ...cleanRun(1), ...first }], mutations: [] };
}

/** Invoiced creates of one path: the `lost`-th answer lost, and a 500 on the next attempt. */
function lostThen500(path: string, lost: number): Partial<RunPlan> {
  return {
    invoicedFaults: {
      schedule: [
        { request: lost, fault: 'lost_response' },
        { request: lost + 1, fault: 'server_error' },
      ],
      match: { methods: ['POST'], pathIncludes: path },
    },
  };
}

/** A clean run, then before run 2 a person adds a customer (and an invoice) whose name the clash of `index` draws. */
function namedLikeACopy(seed: number, kind: 'ns_customer_clash' | 'ivd_customer_clash', index: number): Scenario {
  return { ...scenarioOf(seed, 'changing', true, false), recordConcurrency: 1, plannedRuns: [cleanRun(1), cleanRun(2)], mutations: [{ index, kind, run: 2, op: null, nul: false }] };
}

export const PINNED_PLANS: readonly PinnedPlan[] = [
  // Seed 495's NetSuite customer 1004 (ACME Corp) is created without a number (its entity ID is an
  // Invoiced customer's number already); POST /customers #3 is that create.
  { name: 'a customer create whose answer is lost, then a 500 on its retry', scenario: pinned(495, lostThen500('/customers', 3)) },
  { name: 'an invoice create whose answer is lost, then a 500 on its retry', scenario: pinned(1, lostThen500('/invoices', 1)) },
  { name: 'a payment create whose answer is lost, then a 500 on its retry', scenario: pinned(1, lostThen500('/payments', 1)) },
  // Seed 1's second store.deleteRetry is the one that follows the first invoice's create and link.
  { name: "a process that dies between an invoice's link and clearing its retry item", scenario: pinned(1, { crash: { op: 2, at: 'store.deleteRetry', after: false } }) },
  // Seed 6's NetSuite payment 100007 is voided, and its customer 1004 never reaches Invoiced.
  { name: 'no fault: a voided payment of a customer that is not on Invoiced', scenario: pinned(6, null) },
  {
    // The first POST /invoices of seed 1 is saved but its answer lost, and with no retries the run fails:
    // the invoice keeps a WRITE_UNCONFIRMED item. Before the next run it is paid in full in NetSuite, so it
    // is no longer open. Before 7f6fabd it was never read again: its Invoiced copy kept the full balance,
    // unlinked, and its payment failed for ever with PAYMENT_INVOICES_NOT_SYNCED.
    name: 'an invoice create whose answer is lost, then the invoice paid in full before the next run',
    scenario: {
      ...scenarioOf(1, 'changing', true, false),
      recordConcurrency: 1,
      plannedRuns: [{ ...cleanRun(1), retries: 0, invoicedFaults: { schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['POST'], pathIncludes: '/invoices' } } }, cleanRun(2)],
      mutations: [{ index: 0, kind: 'ns_invoice_pay_full', run: 2, op: null, target: '@queued', nul: false }],
    },
  },
  // A person adds a customer named like one the sync made (its copy of a customer on the other side):
  // the two share a name on one side, so the new customer's invoice is CUSTOMER_ALREADY_LINKED. Before
  // the fix the checks counted only the world's own customers and called that unexplained.
  // Seed 72's run 1 makes NetSuite customer 1007 for Invoiced #4 (Ann-Marie Smith, a person in NetSuite);
  // the clash of mutation index 6 takes that name.
  { name: 'a NetSuite customer added with the name of a customer the sync made in NetSuite', scenario: namedLikeACopy(72, 'ns_customer_clash', 6) },
  // Seed 127's run 1 makes Invoiced #5 for NetSuite customer 1006 (Globex Industries); index 0 takes that name.
  { name: 'an Invoiced customer added with the name of a customer the sync made on Invoiced', scenario: namedLikeACopy(127, 'ivd_customer_clash', 0) },
  {
    // Seed 175's clash of index 1 adds Invoiced #4 "O'Brien  &  Sons" before run 1, which dies at once: in
    // run 2, the first to complete, flow 1 finds NetSuite customer 1001's name on Invoiced #1 and #4
    // (AMBIGUOUS_CUSTOMER), then flow 3 links #1 to 1001 by name (1001 is the only NetSuite customer of
    // that name). Run 3 imports 1001's invoices through that link. Before the fix the checks allowed that
    // run to create only payments, and called these invoices a run that had not converged.
    name: 'an invoice waiting on a customer that flow 3 of the first completed run linked',
    scenario: {
      ...scenarioOf(175, 'changing', true, false),
      recordConcurrency: 1,
      plannedRuns: [{ ...cleanRun(1), crash: { op: 1, after: false } }],
      mutations: [{ index: 1, kind: 'ivd_customer_clash', run: 1, op: null, nul: false }],
    },
  },
];
