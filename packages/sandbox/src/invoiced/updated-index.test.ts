import { describe, expect, it } from 'vitest';
import { type SandboxOutcome } from '../http';
import { pageOf, PaginationCursors } from './cursors';
import { InvoicedDatabase } from './database';
import { InvoicedRequestError } from './errors';
import { LIST_SPECS } from './list-specs';
import { ListingCache, type ListSource } from './list-sources';
import { listResponse, parseListQuery } from './listing';
import type { InvoicedInvoiceRecord, InvoicedResourceName } from './records';
import { RESOURCES } from './resources';
import { BASE_URL, createHarness, links, START } from './test-support';

const NAMES = ['customers', 'invoices', 'credit_notes', 'payments'] as const;
const ids = (records: readonly { id: number }[]) => records.map((record) => record.id);

/** A database on a clock the test moves, and a seeded random number generator. */
function account(seed: number) {
  let nowMs = START * 1000;
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const db = new InvoicedDatabase(() => new Date(nowMs));
  return { db, random, advance: (seconds: number) => (nowMs += seconds * 1000) };
}

/** The collection's source as the service has it, and the same source without its index (every list reads every record). */
function sources(db: InvoicedDatabase, name: InvoicedResourceName): { indexed: ListSource; scanned: ListSource } {
  const indexed = RESOURCES[name].source(db);
  return { indexed, scanned: { records: () => indexed.records(), kept: indexed.kept, render: (record) => indexed.render(record) } };
}

/** One write, as a request would make it: refused writes are left as Invoiced leaves them. */
function write(db: InvoicedDatabase, change: () => unknown): void {
  db.touch();
  try {
    change();
  } catch (error) {
    if (!(error instanceof InvoicedRequestError)) throw error;
  }
}

/** Random writes of every kind: creations, edits, payments that save the documents they settle, voids and deletions, at times that often tie. */
function churn(db: InvoicedDatabase, random: () => number, advance: (seconds: number) => void, count: number): void {
  const pick = (map: ReadonlyMap<number, unknown>) => [...map.keys()][Math.floor(random() * map.size)] ?? 0;
  const items = [{ name: 'Work', quantity: 1, unit_cost: 10 }];
  for (let step = 0; step < count; step += 1) {
    advance([0, 0, 1, 2][Math.floor(random() * 4)] ?? 0);
    const customer = pick(db.customers);
    const roll = random();
    if (roll < 0.03 || db.customers.size === 0) write(db, () => RESOURCES.customers.create(db, { name: `C${step}`, metadata: { tier: random() < 0.5 ? 'a' : 'b' } }));
    else if (roll < 0.3) write(db, () => RESOURCES.invoices.create(db, { customer, draft: random() < 0.2, items, metadata: { tier: random() < 0.5 ? 'a' : 'b' } }));
    else if (roll < 0.38) write(db, () => RESOURCES.credit_notes.create(db, { customer, items }));
    else if (roll < 0.5) write(db, () => RESOURCES.invoices.update(db, pick(db.invoices), { notes: `n${step}` }));
    else if (roll < 0.55) write(db, () => RESOURCES.customers.update(db, customer, { notes: `n${step}` }));
    else if (roll < 0.7) {
      const open = [...db.invoices.values()].filter((document) => !document.draft && !document.voided);
      const invoice = open[Math.floor(random() * open.length)];
      const credits = [...db.credit_notes.values()].filter((document) => document.customer === invoice?.customer && !document.voided);
      const credit = random() < 0.5 ? credits[0] : undefined;
      const applied_to = [
        ...(invoice === undefined ? [] : [{ type: 'invoice', invoice: invoice.id, amount: 2 }]),
        ...(credit === undefined || invoice === undefined ? [] : [{ type: 'credit_note', credit_note: credit.id, invoice: invoice.id, amount: 1 }]),
      ];
      write(db, () => RESOURCES.payments.create(db, { customer: invoice?.customer ?? customer, amount: 3, applied_to }));
    } else if (roll < 0.76) write(db, () => RESOURCES.payments.update(db, pick(db.payments), { applied_to: [] }));
    else if (roll < 0.82) write(db, () => RESOURCES.payments.void?.(db, pick(db.payments)));
    else if (roll < 0.88) write(db, () => RESOURCES.invoices.void?.(db, pick(db.invoices)));
    else if (roll < 0.94) write(db, () => RESOURCES.invoices.remove(db, pick(db.invoices)));
    else if (roll < 0.97) write(db, () => RESOURCES.credit_notes.remove(db, pick(db.credit_notes)));
    else write(db, () => RESOURCES.customers.remove(db, pick(db.customers)));
  }
}

/** The list queries compared at a time `t`: each bound, both, with filters, metadata and sorts. */
function searches(name: InvoicedResourceName, t: number): string[] {
  const bounded = [`updated_after=${t}`, `updated_before=${t}`, `updated_after=${t - 2}&updated_before=${t + 2}`, `updated_after=${t}&updated_before=${t}`];
  // The last: ties by descending ID alone (a term that is not two words is dropped after Invoiced's `id asc` check).
  const sorts = ['', '&sort=updated_at%20ASC', '&sort=updated_at%20DESC', '&sort=id%20DESC', '&sort=updated_at%20asc,id%20asc', '&sort=updated_at%20ASC,id%20DESC', '&sort=updated_at%20asc,id%20desc,id%20asc%20x'];
  const extra: Record<InvoicedResourceName, string[]> = {
    customers: [`metadata[tier]=a&updated_after=${t}`],
    invoices: [`filter[draft]=0&updated_after=${t}&sort=updated_at%20ASC`, `filter[status]=paid&updated_after=${t}`, `metadata[tier]=b&updated_before=${t}`],
    credit_notes: [`filter[draft]=0&updated_after=${t}&sort=updated_at%20ASC`, `filter[paid]=1&updated_after=${t}`],
    payments: [`filter[voided]=0&updated_after=${t}&sort=updated_at%20ASC`, `include=applied_to&updated_after=${t}&start_date=${START}`],
  };
  return [...bounded.flatMap((search) => sorts.map((sort) => `${search}${sort}`)), ...extra[name]];
}

/** A list request answered as the service answers it, from the given source, cache and cursors. */
function answer(db: InvoicedDatabase, name: InvoicedResourceName, source: ListSource, cache: ListingCache, cursors: PaginationCursors, search: string): SandboxOutcome {
  const url = new URL(`${BASE_URL}/${name}?${search}`);
  const query = parseListQuery(url, LIST_SPECS[name]);
  const records = cache.select(db, name, source, query);
  return listResponse(records.length, pageOf(cursors, name, records, query, db.nowMs()).map((record) => source.render(record)), query, url);
}

describe('Invoiced lists bounded by updated_at', () => {
  it('select from the records within the bounds, not from every record of the collection', () => {
    const { db, random, advance } = account(7);
    churn(db, random, advance, 300);
    for (const name of NAMES) {
      const { indexed, scanned } = sources(db, name);
      let passes = 0;
      const counted: ListSource = { ...indexed, records: () => ((passes += 1), indexed.records()) };
      const query = parseListQuery(new URL(`${BASE_URL}/${name}?updated_after=${START + 10}&sort=updated_at%20ASC`), LIST_SPECS[name]);
      const selected = new ListingCache().select(db, name, counted, query);
      expect([name, passes]).toEqual([name, 0]);
      expect(selected).toEqual(new ListingCache().select(db, name, scanned, query));
      // Without a bound, the list reads every record.
      new ListingCache().select(db, name, counted, { ...query, updatedAfter: undefined });
      expect([name, passes]).toEqual([name, 1]);
    }
  });

  it('select the same records in the same order with and without the index, as records are written, saved in place and deleted', () => {
    for (const seed of [1, 2, 3]) {
      const { db, random, advance } = account(seed);
      const caches = { indexed: new ListingCache(), scanned: new ListingCache() };
      for (let round = 0; round < 5; round += 1) {
        churn(db, random, advance, 60);
        for (const name of NAMES) {
          const { indexed, scanned } = sources(db, name);
          // Around every fifth time a record has (a tie, a second before, a second after), and past either end.
          const times = [...new Set([...db[name].values()].map((record) => record.updated_at))].sort((a, b) => a - b);
          const bounds = [START - 1, ...times.filter((_, index) => index % 5 === round % 5).flatMap((time) => [time - 1, time, time + 1]), (times.at(-1) ?? START) + 1];
          for (const t of bounds) {
            for (const search of searches(name, t)) {
              const query = parseListQuery(new URL(`${BASE_URL}/${name}?${search}`), LIST_SPECS[name]);
              const expected = caches.scanned.select(db, name, scanned, query);
              const actual = caches.indexed.select(db, name, indexed, query);
              expect([seed, name, search, ids(actual)]).toEqual([seed, name, search, ids(expected)]);
              expect(actual.every((record, index) => record === expected[index])).toBe(true);
            }
          }
        }
      }
    }
  });

  it('answer every page the same with and without the index, records changing between pages', () => {
    const { db, random, advance } = account(11);
    churn(db, random, advance, 400);
    for (const name of NAMES) {
      const { indexed, scanned } = sources(db, name);
      // The middle of the collection's times: about half its records are after it.
      const times = [...db[name].values()].map((record) => record.updated_at).sort((a, b) => a - b);
      const after = times[times.length >> 1] ?? START;
      for (const sort of ['', '&sort=updated_at%20ASC', '&sort=id%20DESC']) {
        const search = (page: number) => `updated_after=${after}&per_page=7&page=${page}${sort}`;
        const sides = [
          { source: indexed, cache: new ListingCache(), cursors: new PaginationCursors() },
          { source: scanned, cache: new ListingCache(), cursors: new PaginationCursors() },
        ] as const;
        for (let page = 1; page <= 12; page += 1) {
          const [fast, slow] = sides.map((side) => answer(db, name, side.source, side.cache, side.cursors, search(page)));
          expect([name, sort, page, fast]).toEqual([name, sort, page, slow]);
          // Between pages: records change (some move past the bound, some are saved in place, some go).
          churn(db, random, advance, 3);
        }
      }
    }
  });

  it('page a list bounded by updated_after over HTTP as the whole list filtered by updated_at, ties and in-place saves included', async () => {
    const { call, state, advance, now } = createHarness();
    const customer = state.insert('customers', { name: 'Acme' });
    const items = [{ name: 'Work', quantity: 1, unit_cost: 10 }];
    const invoices = [];
    for (let index = 0; index < 30; index += 1) {
      if (index % 4 === 0) advance(1);
      invoices.push(state.insert('invoices', { customer: customer.id, items, draft: index % 5 === 0 }));
    }
    const since = now() - 3;
    advance(1);
    // A payment saves the invoice it settles in place; an edit and a deletion are ordinary writes.
    state.insert('payments', { customer: customer.id, amount: 5, applied_to: [{ type: 'invoice', invoice: invoices[1]?.id, amount: 5 }] });
    state.update('invoices', invoices[2]?.id ?? 0, { notes: 'edited' });
    state.delete('invoices', invoices[29]?.id ?? 0);
    const all = (await call<InvoicedInvoiceRecord[]>('GET', '/invoices?paginate=none&filter[draft]=0&sort=updated_at%20ASC')).body;
    const expected = ids(all.filter((invoice) => invoice.updated_at > since));
    const seen: number[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const listed = await call<InvoicedInvoiceRecord[]>('GET', `/invoices?filter[draft]=0&updated_after=${since}&sort=updated_at%20ASC&per_page=4&page=${page}`);
      expect(listed.headers['x-total-count']).toBe(String(expected.length));
      expect(links(listed.headers.link).get('last')).toContain(`page=${Math.ceil(expected.length / 4)}`);
      seen.push(...ids(listed.body));
    }
    expect(seen).toEqual(expected);
    expect(seen).toEqual(expect.arrayContaining([invoices[1]?.id, invoices[2]?.id]));
    expect(seen).not.toContain(invoices[29]?.id);
  });

  it('hold exactly the records strictly within the bounds, in ascending ID order or by updated_at then ID', () => {
    const { db, random, advance } = account(3);
    // Few writes between reads move records one by one; many make the index sort them all again.
    for (const writes of [80, 30, 400, 5]) {
      churn(db, random, advance, writes);
      for (const name of NAMES) {
        const times = [...new Set([...db[name].values()].map((record) => record.updated_at))];
        for (const after of [undefined, START - 1, ...times]) {
          for (const before of [undefined, ...times.filter((_, index) => index % 4 === 0)]) {
            const expected = [...db[name].values()].filter((record) => (after === undefined || record.updated_at > after) && (before === undefined || record.updated_at < before));
            expect([name, after, before, ids(db.updatedWithin(name, after, before))]).toEqual([name, after, before, ids(expected)]);
            const byTime = [...expected].sort((a, b) => a.updated_at - b.updated_at || a.id - b.id);
            expect([name, after, before, ids(db.updatedWithin(name, after, before, 'updated'))]).toEqual([name, after, before, ids(byTime)]);
          }
        }
      }
    }
  });

  it('forget the records of a reset account', () => {
    const { db, random, advance } = account(5);
    churn(db, random, advance, 100);
    expect(db.updatedWithin('invoices', START - 1, undefined).length).toBe(db.invoices.size);
    db.touch();
    db.reset();
    expect(db.updatedWithin('invoices', START - 1, undefined)).toEqual([]);
    write(db, () => RESOURCES.customers.create(db, { name: 'Again' }));
    expect(ids(db.updatedWithin('customers', undefined, undefined))).toEqual([1]);
  });
});
