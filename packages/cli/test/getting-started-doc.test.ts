/**
 * docs/getting-started.md walks a new user through connecting, configuring and syncing, and says every step
 * works against the sandbox. This test follows it there: the page's own settings (read from the page),
 * the sandbox's reference account and credentials, `checkConnection`, then a sync. The settings must
 * cause no problem and no record error; the only record errors left are the generated books' own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkConnection, createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncSettingsInput } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { describe, expect, it } from 'vitest';

const PAGE = fileURLToPath(new URL('../../../docs/getting-started.md', import.meta.url));

/** Record errors that the books' deliberate problems cause: anything else would be the settings' fault. */
const BOOKS_PROBLEMS = new Set(['AMBIGUOUS_CUSTOMER', 'CUSTOMER_ALREADY_LINKED', 'CUSTOMER_NOT_SYNCED', 'PAYMENT_INVOICES_NOT_SYNCED']);

/** The `settings: { ... }` of the page's createSyncEngine sample, as an object. */
function pageSettings(): SyncSettingsInput {
  const line = readFileSync(PAGE, 'utf8')
    .split('\n')
    .find((text) => /^\s*settings: \{.*\},?\s*$/.test(text));
  if (line === undefined) throw new Error('docs/getting-started.md has no `settings: { ... }` line');
  const literal = line.trim().replace(/^settings: /, '').replace(/,$/, '');
  // An object literal of strings: quote its keys and turn its quotes into JSON's.
  return JSON.parse(literal.replace(/([{,]\s*)([A-Za-z]\w*)\s*:/g, '$1"$2":').replaceAll("'", '"')) as SyncSettingsInput;
}

describe('docs/getting-started.md against the sandbox', () => {
  it("the page's settings pass checkConnection and reach a sync with no record error caused by them", async () => {
    const settings = pageSettings();
    expect(settings.items?.defaultItem).toBeDefined();
    const sandbox = createSandbox({ seed: 7 });
    sandbox.load(generateBooks({ seed: 7 }));
    const servers = await sandbox.listen();
    try {
      const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) });
      const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl });
      const check = await checkConnection({ netsuite, invoiced, settings });
      expect(check.problems).toEqual([]);

      const engine = createSyncEngine({ netsuite, invoiced, store: memoryStore(), connectionId: 'acme', settings });
      const run = await engine.sync();
      expect(run.status).not.toBe('failed');
      expect(run.counts.invoices_created ?? 0).toBeGreaterThan(0);
      const full = await engine.getSync(run.id);
      const codes = new Set((full?.recordErrors ?? []).map((error) => error.code));
      expect([...codes].filter((code) => !BOOKS_PROBLEMS.has(code))).toEqual([]);
    } finally {
      await servers.close();
    }
  }, 120_000);
});
