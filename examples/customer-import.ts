/**
 * Importing the whole NetSuite A/R customer list into Invoiced as a background job, against the sandbox
 * over real HTTP: a `notify` hook that "emails" the result, progress, a cancel, and a resume by job ID from
 * a new engine over the same store (what a restarted process does).
 *
 *   pnpm build && cd examples && node customer-import.ts
 *
 * To run against real accounts, build the two clients from your credentials instead of the sandbox's, and
 * use a persistent store (Postgres) so that a job survives a restart.
 */
import {
  createInvoicedClient,
  createNetSuiteClient,
  createSyncEngine,
  tokenBasedAuth,
  type ImportJob,
  type ImportResult,
  type SyncEngine,
} from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

const sandbox = createSandbox({ seed: 11 });
sandbox.load(generateBooks({ seed: 11, customers: 200, invoices: 20, payments: 0, invoiced: { customers: 15, invoices: 0, payments: 0 } }));
const servers = await sandbox.listen();
const store = memoryStore(); // survives the "restart" below: it is the job's memory

/** One engine object per process; the store is what they share. */
const startProcess = (): SyncEngine =>
  createSyncEngine({
    netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
    invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl }),
    store,
    connectionId: 'example',
  });

/** Where the hosted product sends its "import finished" email; here, printed. */
async function emailResult(result: ImportResult): Promise<void> {
  const engine = startProcess();
  const run = await engine.getSync(result.runId);
  const lines = [
    `To: ar-team@example.com`,
    `Subject: NetSuite customer import ${result.status} (${result.jobId})`,
    '',
    ...Object.entries(result.counts).map(([name, value]) => `  ${name.replace(/_/g, ' ')}: ${value}`),
    ...(result.error === null ? [] : [``, `  ${result.error.message}`, `  What to do: ${result.error.resolution ?? '-'}`]),
    ...(run !== null && run.recordErrorCount > 0
      ? ['', `  ${result.counts.records_failed ?? 0} customers need attention (Recent Syncs lists them), for example:`, ...run.recordErrors.slice(0, 3).map((error) => `  - ${error.number ?? error.sourceId}: ${error.message}\n    ${error.resolution}`)]
      : []),
  ];
  console.log(`\n----- email -----\n${lines.join('\n')}\n-----------------\n`);
}

const showProgress = (label: string) => {
  let shown = 0;
  return ({ processed, total }: { processed: number; total: number | null }) => {
    if (processed - shown >= 50 || processed === total) {
      shown = processed;
      console.log(`${label}: ${processed} of ${total ?? '?'} customers`);
    }
  };
};

try {
  // Process 1 starts the import, and is stopped after 80 customers.
  const first = startProcess();
  const progress = showProgress('process 1');
  const job: ImportJob = first.importCustomers({
    notify: emailResult,
    onProgress: (step) => {
      progress(step);
      if (step.processed === 80) job.cancel();
    },
  });
  console.log(`started import job ${job.id}`);
  const stopped = await job.done;
  console.log(`process 1: the job is ${stopped.status}; its checkpoint:`, await first.getImport(job.id));

  // Process 2 (a new engine over the same store) resumes the job by its ID, after the last customer done.
  const second = startProcess();
  const resumed = await second.importCustomers({ jobId: job.id, notify: emailResult, onProgress: showProgress('process 2') }).done;

  const runs = (await second.recentSyncs()).filter((run) => run.trigger === 'import');
  console.log('Recent Syncs:', runs.map((run) => `${run.id} ${run.status} read=${run.counts.netsuite_customers_read ?? 0}`).join(', '));
  const ids = sandbox.invoiced.state.list('customers').map((customer) => customer.metadata?.netsuite_id).filter((id) => id !== undefined);
  console.log(`Invoiced customers from NetSuite: ${ids.length}, each once: ${new Set(ids).size === ids.length}`);
  if (stopped.status !== 'cancelled' || !['succeeded', 'partial'].includes(resumed.status) || new Set(ids).size !== ids.length) process.exitCode = 1;
} finally {
  await servers.close();
}
