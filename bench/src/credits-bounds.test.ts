/**
 * The bench's accounting of credits and refunds: the books carry them, the lower bound counts the reads and
 * writes of their phases, and the report lists their records. The bench has no vitest project; run with
 * `node --test bench/src/credits-bounds.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { benchSettings, bookOptions, refundAccountOf } from '#bench/books';
import { readLowerBound, scenarioReport, type SandboxCounts } from '#bench/bounds';
import { PROFILES } from '#bench/latency';
import type { ApiTraffic, ChildResult } from '#bench/protocol';
import { recordCell } from '#bench/report';

const traffic = (overrides: Partial<ApiTraffic> = {}): ApiTraffic => ({ requests: 0, tooManyRequests: 0, failed: 0, reads: [], writes: 0, recordsWritten: 0, refusedWrites: 0, ...overrides });

function result(apis: { netsuite: ApiTraffic; invoiced: ApiTraffic }): ChildResult {
  return {
    ok: true,
    scenario: 'first-sync',
    engineBuild: 'test',
    wallMs: 100,
    status: 'partial',
    counts: { refunds_created: 0 },
    recordErrors: 1,
    recordErrorKinds: [{ entity: 'refund', direction: 'invoiced_to_netsuite', code: 'REFUND_REFUSED_BY_NETSUITE', count: 1, example: 'Refund #1' }],
    skipped: {},
    phases: [{ phase: 'invoiced_refunds', wallMs: 100, startMs: 0, endMs: 100, apis }],
    cpuMs: 10,
    memory: { rssAtStartMb: 1, peakRssMb: 2, method: 'sampled', peakHeapTotalMb: 1, peakExternalMb: 0, heapAtStartMb: 1, heapAfterGcMb: 1 },
    retryQueue: { pending: 0, ignoredFirst: 0 },
  };
}

void describe('books with credits and refunds', () => {
  void it('has credit memos applied in payments, customer refunds, credit notes, processed payments and their refunds', () => {
    const options = bookOptions(1000, 7);
    assert.equal(options.paymentCredits, 0.05);
    assert.equal(options.customerRefunds, 5);
    assert.deepEqual({ creditNotes: options.invoiced?.creditNotes, processedShare: options.invoiced?.processedShare, refunds: options.invoiced?.refunds }, { creditNotes: 5, processedShare: 0.3, refunds: 1 });
    const books = generateBooks(options);
    assert.ok(books.netsuite.payments.some((payment) => (payment.credits?.length ?? 0) > 0));
    assert.ok((books.netsuite.customerRefunds?.length ?? 0) > 0);
    assert.ok((books.invoiced.creditNotes?.length ?? 0) > 0);
    assert.ok(books.invoiced.payments.some((payment) => payment.processed === true && (payment.refunds?.length ?? 0) > 0));
  });

  void it('gives the engine an account to write refunds from', () => {
    const books = generateBooks(bookOptions(200, 7));
    assert.equal(benchSettings(books).refundAccount, refundAccountOf(books));
    assert.equal(books.netsuite.accounts.find((account) => account.id === refundAccountOf(books))?.kind, 'bank');
  });
});

void describe('lower bound of the refund phase', () => {
  void it('counts one read per charge (Invoiced lists no charges) and a list page for the refunds', () => {
    assert.equal(readLowerBound('invoiced', { kind: 'GET charges/:id', requests: 3, rows: 3 }), 3);
    assert.equal(readLowerBound('invoiced', { kind: 'GET refunds', requests: 1, rows: 3 }), 1);
    assert.equal(readLowerBound('invoiced', { kind: 'GET customers/:id', requests: 3, rows: 3 }), 1);
  });

  void it('counts a write the service refused, which the engine learns of only by trying', () => {
    const report = scenarioReport({
      size: 1000,
      result: result({
        netsuite: traffic({ requests: 1, failed: 1, writes: 1, refusedWrites: 1 }),
        invoiced: traffic({ requests: 4, reads: [{ kind: 'GET refunds', requests: 1, rows: 3 }, { kind: 'GET charges/:id', requests: 3, rows: 3 }] }),
      }),
      sandbox: { netsuite: { requests: 1, tooManyRequests: 0, peakInFlight: 1, averageInFlight: 0 }, invoiced: { requests: 4, tooManyRequests: 0, peakInFlight: 3, averageInFlight: 0 } } satisfies SandboxCounts,
      sandboxCpuMs: 0,
      profile: PROFILES['20ms'],
    });
    assert.deepEqual([report.requests.netsuite.lowerBound, report.requests.netsuite.refusedWrites, report.requests.invoiced.lowerBound], [1, 1, 4]);
    assert.equal(report.requests.total.ratio, 1);
    assert.equal(report.recordErrorKinds[0]?.code, 'REFUND_REFUSED_BY_NETSUITE');
  });
});

void describe('record counts in the report', () => {
  void it('shows created and updated, with voids and deletions after a +', () => {
    assert.equal(recordCell({ creditNotes_created: 4, creditNotes_updated: 1, credit_notes_voided: 2 }, 'creditNotes'), '4 / 1 + 2');
    assert.equal(recordCell({ refunds_created: 3, refunds_deleted_in_netsuite: 1 }, 'refunds'), '3 / 0 + 1');
    assert.equal(recordCell({ invoices_skipped: 3 }, 'invoices'), '-');
  });
});
