import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { InvoicedDuplicateMatchError } from './errors';
import { PRODUCTION, creditNoteJson, customerJson, invoiceJson, makeClient, useMswServer } from './test-support';

const server = useMswServer();

/** Serves `records` filtered by `metadata[netsuite_id]` the way Invoiced does (exact match). */
function serveByNetsuiteId(path: string, records: Record<string, unknown>[]): URL[] {
  const requested: URL[] = [];
  server.use(
    http.get(`${PRODUCTION}${path}`, ({ request }) => {
      const url = new URL(request.url);
      requested.push(url);
      const wanted = url.searchParams.get('metadata[netsuite_id]');
      return HttpResponse.json(
        records.filter((record) => (record.metadata as Record<string, string>).netsuite_id === wanted),
        { headers: { 'x-total-count': '0' } },
      );
    }),
  );
  return requested;
}

describe('findByNetsuiteId', () => {
  it('returns the customer whose metadata.netsuite_id matches', async () => {
    const requested = serveByNetsuiteId('/customers', [
      customerJson({ id: 1, metadata: { netsuite_id: '4711' } }),
      customerJson({ id: 2, metadata: { netsuite_id: '4712' } }),
    ]);
    await expect(makeClient().customers.findByNetsuiteId('4711')).resolves.toMatchObject({ id: 1 });
    expect(requested).toHaveLength(1);
    expect(requested[0]?.searchParams.get('metadata[netsuite_id]')).toBe('4711');
  });

  it('accepts a numeric NetSuite ID', async () => {
    serveByNetsuiteId('/invoices', [invoiceJson({ id: 9, metadata: { netsuite_id: '88' } })]);
    await expect(makeClient().invoices.findByNetsuiteId(88)).resolves.toMatchObject({ id: 9 });
  });

  it('returns undefined when no record matches', async () => {
    serveByNetsuiteId('/invoices', [invoiceJson({ id: 9, metadata: { netsuite_id: '88' } })]);
    await expect(makeClient().invoices.findByNetsuiteId('89')).resolves.toBeUndefined();
  });

  it('ignores a returned record whose metadata does not match exactly', async () => {
    server.use(http.get(`${PRODUCTION}/customers`, () => HttpResponse.json([customerJson({ id: 3, metadata: { netsuite_id: '47110' } })])));
    await expect(makeClient().customers.findByNetsuiteId('4711')).resolves.toBeUndefined();
  });

  it.each([
    ['customers', 'customer'],
    ['invoices', 'invoice'],
    ['creditNotes', 'credit_note'],
  ] as const)('%s: refuses to guess between two records with the same NetSuite ID, naming both', async (name, resource) => {
    const path = name === 'creditNotes' ? '/credit_notes' : `/${name}`;
    const make = name === 'customers' ? customerJson : name === 'invoices' ? invoiceJson : creditNoteJson;
    serveByNetsuiteId(path, [
      make({ id: 101, metadata: { netsuite_id: '4711' } }),
      make({ id: 202, metadata: { netsuite_id: '4711' } }),
      make({ id: 303, metadata: { netsuite_id: '4711' } }),
    ]);
    const error = await makeClient()[name].findByNetsuiteId('4711').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedDuplicateMatchError);
    expect(error).toMatchObject({ code: 'INVOICED_DUPLICATE_MATCH', resource, netsuiteId: '4711', ids: [101, 202] });
    expect((error as Error).message).toContain('101');
    expect((error as Error).message).toContain('202');
    expect((error as InvoicedDuplicateMatchError).toJSON()).toMatchObject({ ids: [101, 202], resource });
  });

  it('refuses an empty NetSuite ID', async () => {
    await expect(makeClient().customers.findByNetsuiteId(' ')).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('invoices.listNonDraftUpdatedAfter', () => {
  it('asks for non-draft invoices updated strictly after the time, oldest change first', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${PRODUCTION}/invoices`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json([invoiceJson({ id: 1, updated_at: 1_700_000_100 })]);
      }),
    );
    const invoices = await makeClient().invoices.listNonDraftUpdatedAfter(new Date('2023-11-14T22:13:20.750Z')).toArray();
    expect(invoices.map((invoice) => invoice.id)).toEqual([1]);
    expect(url?.searchParams.get('updated_after')).toBe('1700000000');
    expect(url?.searchParams.get('filter[draft]')).toBe('0');
    expect(url?.searchParams.get('sort')).toBe('updated_at ASC');
    expect(url?.searchParams.get('per_page')).toBe('100');
  });

  it('takes UNIX seconds and keeps other filters', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${PRODUCTION}/invoices`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json([]);
      }),
    );
    await makeClient().invoices.listNonDraftUpdatedAfter(1_700_000_000, { filter: { customer: 15444, draft: true } }).toArray();
    expect(url?.searchParams.get('updated_after')).toBe('1700000000');
    expect(url?.searchParams.get('filter[customer]')).toBe('15444');
    expect(url?.searchParams.get('filter[draft]')).toBe('0');
  });

  it('refuses a time given in milliseconds', () => {
    expect(() => makeClient().invoices.listNonDraftUpdatedAfter(Date.now())).toThrow(ConfigurationError);
  });
});
