/**
 * Lists the open invoices of a NetSuite account with their customers, streamed with SuiteQL.
 *
 *   NETSUITE_ACCOUNT_ID=1234567_SB1 NETSUITE_CONSUMER_KEY=... NETSUITE_CONSUMER_SECRET=... \
 *   NETSUITE_TOKEN_ID=... NETSUITE_TOKEN_SECRET=... pnpm --filter @invoiced/netsuite-sync-examples open-invoices
 *
 * Optional: NETSUITE_BASE_URL (a proxy or test server), LIMIT (rows to print, default 20).
 * Ctrl+C cancels the requests in flight.
 */
import { createNetSuiteClient, NetSuiteSyncError, sql, tokenBasedAuth } from '@invoiced/netsuite-sync';

const required = ['NETSUITE_ACCOUNT_ID', 'NETSUITE_CONSUMER_KEY', 'NETSUITE_CONSUMER_SECRET', 'NETSUITE_TOKEN_ID', 'NETSUITE_TOKEN_SECRET'] as const;
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`Set ${missing.join(', ')} (see docs/connecting-to-netsuite.md).`);
  process.exit(2);
}
const env = (name: (typeof required)[number]) => process.env[name] ?? '';
const limit = Number(process.env.LIMIT ?? 20);

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('Cancelled with Ctrl+C')));

try {
  const netsuite = createNetSuiteClient({
    accountId: env('NETSUITE_ACCOUNT_ID'),
    ...(process.env.NETSUITE_BASE_URL ? { baseUrl: process.env.NETSUITE_BASE_URL } : {}),
    auth: tokenBasedAuth({
      consumerKey: env('NETSUITE_CONSUMER_KEY'),
      consumerSecret: env('NETSUITE_CONSUMER_SECRET'),
      tokenId: env('NETSUITE_TOKEN_ID'),
      tokenSecret: env('NETSUITE_TOKEN_SECRET'),
    }),
  });

  const query = sql`
    SELECT t.id, t.tranid, t.trandate, t.foreigntotal, t.foreignamountunpaid, c.companyname
    FROM transaction t JOIN customer c ON c.id = t.entity
    WHERE t.type = 'CustInvc' AND BUILTIN.CF(t.status) = ${'CustInvc:A'}`;

  let shown = 0;
  for await (const row of netsuite.suiteqlAll(query, {
    signal: controller.signal,
    onPage: ({ rows, totalResults }) => console.error(`… ${rows}${totalResults === undefined ? '' : ` of ${totalResults}`} rows`),
  })) {
    console.log(`${String(row.tranid).padEnd(12)} ${String(row.trandate).padEnd(12)} ${String(row.foreignamountunpaid).padStart(12)}  ${String(row.companyname)}`);
    shown += 1;
    if (shown >= limit) break;
  }
  console.error(`${shown} open invoice(s) shown; peak requests in flight: ${netsuite.stats.peakInFlight}.`);
} catch (error) {
  if (error instanceof NetSuiteSyncError) {
    console.error(`${error.name} [${error.code}]: ${error.message}`);
    if (error.resolution) console.error(`What to do: ${error.resolution}`);
    process.exit(1);
  }
  throw error;
}
