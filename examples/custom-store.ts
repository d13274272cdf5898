/**
 * A custom store: a `SyncStore` is an interface, so anything that keeps its contract can hold the sync's
 * state. This one wraps another store and counts every call by method and its time, the kind of wrapper a
 * backend adds for metrics, then runs a first sync against the sandbox through it.
 *
 *   pnpm --filter @invoiced/netsuite-sync-examples custom-store
 *
 * A store written from scratch must pass `runStoreConformance()` from `@invoiced/netsuite-sync/testing`
 * in its own tests (see docs/stores.md, "Writing another store").
 */
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncStore } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

/** What the wrapper measured of one method. */
interface MethodStats {
  calls: number;
  failures: number;
  totalMs: number;
}

/** Wraps `inner`: every method is timed and counted; what it answers (or throws) is passed on untouched. */
function measuredStore(inner: SyncStore): { store: SyncStore; stats: Map<string, MethodStats> } {
  const stats = new Map<string, MethodStats>();
  const measure = <A extends unknown[], R>(name: string, method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const entry = stats.get(name) ?? { calls: 0, failures: 0, totalMs: 0 };
      stats.set(name, entry);
      const started = performance.now();
      entry.calls += 1;
      try {
        return await method(...args);
      } catch (error) {
        entry.failures += 1;
        throw error;
      } finally {
        entry.totalMs += performance.now() - started;
      }
    };
  // Every method of the contract, listed so that the compiler checks none is missing.
  const store: SyncStore = {
    acquireLease: measure('acquireLease', inner.acquireLease.bind(inner)),
    renewLease: measure('renewLease', inner.renewLease.bind(inner)),
    releaseLease: measure('releaseLease', inner.releaseLease.bind(inner)),
    getCursor: measure('getCursor', inner.getCursor.bind(inner)),
    setCursor: measure('setCursor', inner.setCursor.bind(inner)),
    findLinkByNetSuiteId: measure('findLinkByNetSuiteId', inner.findLinkByNetSuiteId.bind(inner)),
    findLinkByInvoicedId: measure('findLinkByInvoicedId', inner.findLinkByInvoicedId.bind(inner)),
    saveLink: measure('saveLink', inner.saveLink.bind(inner)),
    listLinks: measure('listLinks', inner.listLinks.bind(inner)),
    startRun: measure('startRun', inner.startRun.bind(inner)),
    addRecordErrors: measure('addRecordErrors', inner.addRecordErrors.bind(inner)),
    finishRun: measure('finishRun', inner.finishRun.bind(inner)),
    getRun: measure('getRun', inner.getRun.bind(inner)),
    listRuns: measure('listRuns', inner.listRuns.bind(inner)),
    saveRetry: measure('saveRetry', inner.saveRetry.bind(inner)),
    getRetry: measure('getRetry', inner.getRetry.bind(inner)),
    listRetries: measure('listRetries', inner.listRetries.bind(inner)),
    deleteRetry: measure('deleteRetry', inner.deleteRetry.bind(inner)),
    saveCheckpoint: measure('saveCheckpoint', inner.saveCheckpoint.bind(inner)),
    getCheckpoint: measure('getCheckpoint', inner.getCheckpoint.bind(inner)),
    addEvent: measure('addEvent', inner.addEvent.bind(inner)),
    listPendingEvents: measure('listPendingEvents', inner.listPendingEvents.bind(inner)),
    completeEvents: measure('completeEvents', inner.completeEvents.bind(inner)),
    pruneEvents: measure('pruneEvents', inner.pruneEvents.bind(inner)),
  };
  return { store, stats };
}

const sandbox = createSandbox({ seed: 11 });
const books = generateBooks({ seed: 11, customers: 30, invoices: 150, payments: 60 });
sandbox.load(books);
const servers = await sandbox.listen();
const { store, stats } = measuredStore(memoryStore());

try {
  const engine = createSyncEngine({
    netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
    invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl }),
    store,
    connectionId: 'custom-store',
    settings: {
      items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
      subsidiary: books.netsuite.subsidiaries[0]?.id,
      currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
    },
  });
  const run = await engine.sync();
  console.log(`sync: ${run.status}, ${Object.entries(run.counts).map(([name, value]) => `${name}=${value}`).join(' ')}`);
  console.log('store calls (method: calls, failures, total ms):');
  for (const [name, entry] of [...stats].sort((a, b) => b[1].calls - a[1].calls)) {
    console.log(`  ${name.padEnd(22)} ${String(entry.calls).padStart(6)} ${String(entry.failures).padStart(4)} ${entry.totalMs.toFixed(1).padStart(9)}`);
  }
  if (run.status === 'failed' || (stats.get('saveLink')?.calls ?? 0) === 0) process.exitCode = 1;
} finally {
  await servers.close();
}
