/**
 * `netsuite-sync demo` (and `pnpm demo` at the repository's root): the whole product on the sandbox in
 * about a minute. Starts simulated NetSuite and Invoiced servers on loopback with generated books, runs a
 * first sync, changes records on both sides as people would, runs an incremental sync that carries each
 * change across, imports the NetSuite customer list, and prints Recent Syncs.
 */
import { createInvoicedClient, createNetSuiteClient, parseSyncSettings, tokenBasedAuth, type SyncRun, type SyncStore } from '@invoiced/netsuite-sync';
import type { Books, Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { enabledPhaseCount, integerOption, runJson, type Command } from '../command';
import type { CommandContext } from '../context';
import { CliError, CliUsageError } from '../errors';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { formatDuration, formatNumber, formatRuns, formatStatus, summarizeCounts } from '../format';
import { progressModeOf, syncProgress, type SyncProgress } from '../progress';
import { sandboxCommands } from './demo-next-steps';
import { runImport } from './import';

/** The default size of the demo's books: hundreds of customers, a few thousand invoices and payments. */
export const DEMO_BOOKS = { customers: 300, invoices: 3000, payments: 1500, invoiced: { customers: 20, invoices: 60, payments: 30 } } as const;

/** One change the demo made, and whether the incremental sync carried it to the other side. */
interface DemoChange {
  readonly what: string;
  readonly synced: boolean;
  readonly detail: string;
}

/** Open NetSuite invoices the first sync imported, oldest first. */
async function importedOpenInvoices(sandbox: Sandbox, store: SyncStore, connectionId: string, wanted: number): Promise<string[]> {
  const rows = sandbox.netsuite.state.query("SELECT id FROM transaction WHERE type = 'CustInvc' AND status = 'A' AND externalid IS NULL ORDER BY id");
  const found: string[] = [];
  for (const row of rows) {
    const id = String(row.id);
    if ((await store.findLinkByNetSuiteId(connectionId, 'invoice', id)) !== null) found.push(id);
    if (found.length === wanted) break;
  }
  return found;
}

/** Text of a field of a sandbox record. */
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
/** The `id` of a reference field (`{ id: '12' }`) of a sandbox record. */
const refId = (value: unknown): string => (typeof value === 'object' && value !== null ? text((value as { id?: unknown }).id) : '');

/**
 * Changes records on both sides as people would: a NetSuite invoice edited, a NetSuite payment recorded,
 * and an Invoiced invoice created and paid. Returns how to tell, after the next sync, that each arrived.
 */
async function changeRecords(sandbox: Sandbox, books: Books, store: SyncStore, connectionId: string): Promise<{ lines: string[]; verify: () => Promise<DemoChange[]> }> {
  const [edited, paid] = await importedOpenInvoices(sandbox, store, connectionId, 2);
  const customerLink = (await store.listLinks(connectionId, 'customer'))[0];
  if (edited === undefined || paid === undefined || customerLink === undefined) {
    throw new CliError('The first sync imported too few records for the demo to change (it needs two open invoices and a customer).', {
      code: 'DEMO_BOOKS_TOO_SMALL',
      resolution: 'Run the demo with more records: --customers 20 --invoices 100 --payments 50 at least.',
    });
  }
  const { netsuite, invoiced } = sandbox;
  // The due date moves two weeks later: the incremental sync must carry it to the Invoiced invoice.
  const dueDate = laterDay(text(netsuite.state.get('invoice', edited)?.dueDate), 14);
  const editedInvoice = netsuite.state.update('invoice', edited, { memo: 'Changed in NetSuite by the demo', dueDate });
  const editedLink = await store.findLinkByNetSuiteId(connectionId, 'invoice', edited);
  const dueBefore = invoiced.state.get('invoices', Number(editedLink?.invoicedId))?.due_date ?? null;

  const paidInvoice = netsuite.state.get('invoice', paid) ?? {};
  const amount = Number(paidInvoice.amountRemaining);
  const payment = netsuite.state.insert('customerPayment', {
    customer: { id: refId(paidInvoice.entity) },
    tranId: 'PAY-DEMO-1',
    payment: amount,
    apply: { items: [{ doc: { id: paid }, amount }] },
  });

  const customer = invoiced.state.get('customers', Number(customerLink.invoicedId));
  const currency = customer?.currency ?? 'usd';
  const invoice = invoiced.state.insert('invoices', {
    customer: Number(customerLink.invoicedId),
    currency,
    number: 'DEMO-1001',
    draft: false,
    items: [{ name: 'Onboarding', quantity: 1, unit_cost: 250 }],
  });
  const invoicedPayment = invoiced.state.insert('payments', {
    customer: invoice.customer,
    amount: 250,
    currency,
    method: 'ach',
    reference: 'DEMO-ACH-1',
    applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 250 }],
  });

  const lines = [
    `NetSuite: invoice ${text(editedInvoice.tranId)} edited (memo, due date moved to ${dueDate})`,
    `NetSuite: payment PAY-DEMO-1 of ${formatAmount(amount, currencyOf(paidInvoice, books))} recorded, paying invoice ${text(paidInvoice.tranId)} in full`,
    `Invoiced: invoice DEMO-1001 created for ${customer?.name ?? `customer #${customerLink.invoicedId}`} and paid in full (${formatAmount(250, currency.toUpperCase())}, ACH)`,
  ];

  const verify = async (): Promise<DemoChange[]> => {
    const dueAfter = invoiced.state.get('invoices', Number(editedLink?.invoicedId))?.due_date ?? null;
    const paymentLink = await store.findLinkByNetSuiteId(connectionId, 'payment', String(payment.id));
    const netsuiteInvoice = netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    const netsuitePayment = netsuite.state.findByExternalId('customerPayment', `invd-pay-${invoicedPayment.id}`);
    return [
      {
        what: `NetSuite invoice ${text(editedInvoice.tranId)} edited`,
        synced: dueAfter !== null && dueAfter !== dueBefore,
        detail: `updated on Invoiced: invoice #${editedLink?.invoicedId ?? '?'} is due ${dueAfter === null ? '?' : new Date(dueAfter * 1000).toISOString().slice(0, 10)}`,
      },
      { what: 'NetSuite payment PAY-DEMO-1 recorded', synced: paymentLink !== null, detail: `recorded on Invoiced as payment #${paymentLink?.invoicedId ?? '?'}` },
      {
        what: 'Invoiced invoice DEMO-1001 created',
        synced: netsuiteInvoice !== undefined,
        detail: `written to NetSuite as invoice ${text(netsuiteInvoice?.tranId) || '?'}`,
      },
      {
        what: 'Invoiced payment of DEMO-1001 received',
        synced: netsuitePayment !== undefined,
        detail: `written to NetSuite as customer payment ${text(netsuitePayment?.id) || '?'}, invoice paid: ${text(netsuiteInvoice === undefined ? '' : netsuite.state.get('invoice', text(netsuiteInvoice.id))?.amountRemaining) === '0' ? 'yes' : 'no'}`,
      },
    ];
  };
  return { lines, verify };
}

/** The ISO code of a sandbox NetSuite record's currency (the books' currencies have IDs 1, 2, 3... in order). */
function currencyOf(record: Record<string, unknown>, books: Books): string {
  return books.netsuite.currencies[Number(refId(record.currency)) - 1] ?? '';
}

/** The day `days` after a `YYYY-MM-DD` day (after today when `day` is not one). */
function laterDay(day: string, days: number): string {
  const start = /^\d{4}-\d\d-\d\d$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Date.now();
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}

/** An amount with its currency code, in the currency's decimals: `USD 4,110.50`, `JPY 12,000`. */
function formatAmount(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code' }).format(value).replace(/\s/g, ' ');
  } catch {
    return `${currency} ${value}`;
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Try everything on the sandbox: sync, change both sides, sync again, import, Recent Syncs',
  synopsis: '[--customers <n>] [--invoices <n>] [--payments <n>] [--seed <n>]',
  description: `Starts simulated NetSuite and Invoiced servers on loopback with generated books (by default ${formatNumber(DEMO_BOOKS.customers)} customers, ${formatNumber(DEMO_BOOKS.invoices)} invoices and ${formatNumber(DEMO_BOOKS.payments)} payments in NetSuite; ${DEMO_BOOKS.invoiced.customers} customers, ${DEMO_BOOKS.invoiced.invoices} invoices and ${DEMO_BOOKS.invoiced.payments} payments on Invoiced), runs a first sync, changes records on both sides (a NetSuite invoice edited, a NetSuite payment recorded, an Invoiced invoice created and paid), runs an incremental sync and checks that each change arrived, imports the NetSuite customer list, and prints Recent Syncs. Needs no account and no credentials; the store is in memory unless --store says otherwise. The generated books hold deliberate problems (customers with the same name, for instance), so runs end PARTIAL with record errors that say what to do. Exit 0 unless a run failed or a change did not arrive.`,
  options: { customers: { type: 'string' }, invoices: { type: 'string' }, payments: { type: 'string' }, seed: { type: 'string' } },
  optionHelp: [
    ['--customers <n>', `NetSuite customers (default ${DEMO_BOOKS.customers}).`],
    ['--invoices <n>', `NetSuite invoices (default ${DEMO_BOOKS.invoices}).`],
    ['--payments <n>', `NetSuite customer payments (default ${DEMO_BOOKS.payments}).`],
    ['--seed <n>', 'Seed of the generated books (default 7): the same seed gives the same books.'],
  ],
  positionals: { min: 0, max: 0 },
  async run(context, values) {
    return runDemo(context, {
      customers: integerOption(values, 'customers', DEMO_BOOKS.customers, { min: 20, max: 100_000 }, 'demo'),
      invoices: integerOption(values, 'invoices', DEMO_BOOKS.invoices, { min: 100, max: 1_000_000 }, 'demo'),
      payments: integerOption(values, 'payments', DEMO_BOOKS.payments, { min: 50, max: 1_000_000 }, 'demo'),
      seed: integerOption(values, 'seed', 7, { min: 0, max: 2 ** 31 - 1 }, 'demo'),
    });
  },
};

/** Sizes and seed of the demo's books. */
export interface DemoOptions {
  readonly customers: number;
  readonly invoices: number;
  readonly payments: number;
  readonly seed: number;
}

/** Runs the demo; see {@link demoCommand}. */
export async function runDemo(context: CommandContext, options: DemoOptions): Promise<ExitCode> {
  const { output, flags } = context;
  const style = output.style;
  const started = performance.now();
  const { createSandbox, generateBooks, settingsForBooks } = await import('@invoiced/netsuite-sync-sandbox');
  const step = (index: number, title: string) => output.line(`${style.bold(`${index}/6`)} ${style.bold(title)}`);
  const detail = (line: string) => output.line(`    ${line}`);
  const took = (since: number) => style.dim(formatDuration(performance.now() - since));

  output.line(style.bold('netsuite-sync demo: simulated NetSuite and Invoiced accounts, synced end to end.'));
  step(1, 'Generating books and starting the sandbox');
  let since = performance.now();
  let books: Books;
  try {
    books = generateBooks({ seed: options.seed, customers: options.customers, invoices: options.invoices, payments: options.payments, invoiced: DEMO_BOOKS.invoiced });
  } catch (error) {
    throw new CliUsageError(`Cannot generate these books: ${error instanceof Error ? error.message : String(error)}.`, 'demo');
  }
  const sandbox = createSandbox({ seed: options.seed });
  sandbox.load(books);
  const servers = await sandbox.listen();
  context.defer(() => servers.close());
  detail(
    `NetSuite: ${formatNumber(books.netsuite.customers.length)} customers, ${formatNumber(books.netsuite.invoices.length)} invoices, ${formatNumber(books.netsuite.payments.length)} payments, ${formatNumber(books.netsuite.creditMemos.length)} credit memos; Invoiced: ${formatNumber(books.invoiced.customers.length)} customers, ${formatNumber(books.invoiced.invoices.length)} invoices, ${formatNumber(books.invoiced.payments.length)} payments (seed ${options.seed}) ${took(since)}`,
  );
  detail(`NetSuite at ${servers.netsuiteUrl}, Invoiced at ${servers.invoicedUrl}`);

  const { store, description } = await context.openStore('memory');
  if ((await store.listRuns(flags.connection, { limit: 1, errorsPerRun: 0 })).length > 0) {
    // Its links would name records of another sandbox's books.
    throw new CliError(`Connection "${flags.connection}" already has runs in ${description}: the demo starts from an empty connection.`, {
      code: 'DEMO_STORE_NOT_EMPTY',
      resolution: 'Run the demo with another --connection, or another --store directory (or the default memory store).',
    });
  }
  detail(`State kept in ${description}`);
  const mode = progressModeOf(output, flags.progress);
  let progress: SyncProgress | undefined;
  const clients = {
    netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
    invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl }),
  };
  // The sandbox's credentials are not masked: they are derived from the seed, the sandbox prints them
  // itself, and the demo ends by printing them in the commands that point the CLI at the same sandbox.
  const engine = await context.engine({ clients, settings: parseSyncSettings(settingsForBooks(books)), store, onEvent: (event) => progress?.onEvent(event) });
  const signal = context.signal === undefined ? {} : { signal: context.signal };
  const runs: SyncRun[] = [];
  const sync = async (index: number, title: string) => {
    step(index, title);
    const start = performance.now();
    progress = syncProgress(output, mode, enabledPhaseCount(engine.settings));
    let run: SyncRun;
    try {
      run = await engine.sync(signal);
    } finally {
      progress.finish();
      // The import job's events go to its own progress view.
      progress = undefined;
    }
    runs.push(run);
    detail(`${formatStatus(run.status, style)} ${took(start)}: ${summarizeCounts(run.counts)}`);
    return run;
  };

  const first = await sync(2, 'First sync: open NetSuite invoices and payments to Invoiced, Invoiced invoices and payments to NetSuite');
  if (first.status === 'failed' || context.interrupted) return finish(context, runs, [], store, first.status === 'failed' ? EXIT_CODES.failure : EXIT_CODES.interrupted);

  step(3, 'Changing records on both sides, as people would');
  const changes = await changeRecords(sandbox, books, store, engine.connectionId);
  for (const line of changes.lines) detail(line);

  const incremental = await sync(4, 'Incremental sync: only what changed since the first one');
  const verified = await changes.verify();
  for (const change of verified) detail(`${change.synced ? style.green('✓') : style.red('✗')} ${change.what}: ${change.synced ? change.detail : 'did not arrive'}`);
  if (incremental.status === 'failed' || context.interrupted) return finish(context, runs, verified, store, incremental.status === 'failed' ? EXIT_CODES.failure : EXIT_CODES.interrupted);

  step(5, 'Import job: the whole NetSuite customer list');
  since = performance.now();
  const imported = await runImport(context, engine, 'customers', undefined);
  if (imported.run !== null) runs.push(imported.run);
  detail(`${formatStatus(imported.result.status, style)} ${took(since)}: ${summarizeCounts(imported.run?.counts ?? imported.result.counts)}`);

  const failed = runs.some((run) => run.status === 'failed') || imported.result.status === 'failed' || verified.some((change) => !change.synced);
  const code = context.interrupted ? EXIT_CODES.interrupted : failed ? EXIT_CODES.failure : EXIT_CODES.success;
  await finish(context, runs, verified, store, code);
  output.line();
  if (code === EXIT_CODES.success) {
    output.line(`Done in ${formatDuration(performance.now() - started)}. Record errors above are the generated books' deliberate problems, each with what to do.`);
    const next = sandboxCommands({ ...options, accountId: sandbox.netsuite.accountId, credentials: sandbox.netsuite.credentials, apiKey: sandbox.invoiced.apiKey, settings: settingsForBooks(books), cwd: context.cwd });
    output.line();
    output.line(style.bold(next.intro));
    next.steps.forEach((entry, index) => {
      output.line(`  ${index + 1}. ${entry.title}`);
      for (const command of entry.commands) output.line(`       ${command}`);
    });
    output.line(`  ${next.note}`);
  } else if (code === EXIT_CODES.interrupted) {
    output.line('Interrupted: the run in progress stopped at a safe point.');
  } else {
    const missing = verified.filter((change) => !change.synced).length;
    output.line(style.red(`The demo did not go through: ${missing} changes did not arrive, ${runs.filter((run) => run.status === 'failed').length} runs failed.`));
  }
  return code;
}

/** Prints Recent Syncs (step 6) and the `--json` document. */
async function finish(context: CommandContext, runs: readonly SyncRun[], changes: readonly DemoChange[], store: SyncStore, code: ExitCode): Promise<ExitCode> {
  const { output, flags } = context;
  const recent = await store.listRuns(flags.connection, { limit: 10, errorsPerRun: 3 });
  output.line(`${output.style.bold('6/6')} ${output.style.bold(`Recent Syncs of connection "${flags.connection}"`)}`);
  for (const line of formatRuns(recent, { errorsPerRun: 3, style: output.style })) output.line(line);
  output.document({ ok: code === EXIT_CODES.success, exitCode: code, connectionId: flags.connection, runs: runs.map(runJson), changes, recentSyncs: recent.map(runJson) });
  return code;
}
