/**
 * The checks of mapped fields (a world with field mappings, mapped-fields.ts): "a mapped field never
 * doubles or drifts".
 *
 * - {@link checkMappedFields}, with the state checks: (1) an Invoiced record's metadata holds no key but
 *   `netsuite_id`, its mapped key and the keys it had before the first run (no copy of a value under a second
 *   name, no key of another record type); (2) the sync writes a mapped value only onto a copy, and only one
 *   its source had: the record a link starts from keeps the value a person left it (no echo), a copy holds a
 *   value its source had or one a person gave the copy, a record that is nobody's copy the value a person
 *   left; (3) for every linked invoice and credit note that is settled (no retry item or record error of the
 *   last run for either side, neither voided nor gone), the copy's value is the source's, in the direction
 *   the sync writes (origin `invoiced`: Invoiced to NetSuite; origin `netsuite`: NetSuite to Invoiced),
 *   empty being absent on both; except when a person changed the copy's value after the source's last
 *   change (the sync follows the source only, so the copy keeps it until the source changes next), or
 *   after a change of the source that the source has undone since (it holds again what the copy held
 *   before the person's edit: the sync has nothing new to write), or the copy is a closed Invoiced document
 *   (Invoiced does not edit those; the sync leaves them).
 * - {@link driftProblems}, for the run that converged: it changed no mapped value and no Invoiced
 *   metadata, and no write of an invoice, credit memo or customer of it succeeded on either service.
 */
import type { RequestLogEntry, Sandbox } from '@invoiced/netsuite-sync-sandbox';
import type { CheckInput, LinkIndex } from './check-support';
import { GONE_FINGERPRINTS } from './flows';
import { MAPPED, MAPPED_KINDS, mappedSnapshot, mappedValue, metadataOf, type MappedKind, type MappedLedger, type PersonValue, type Side } from './mapped-fields';
import type { FaultWorld, RunOutcome } from './world';

const other = (side: Side): Side => (side === 'netsuite' ? 'invoiced' : 'netsuite');
const shown = (value: string) => (value === '' ? 'empty' : JSON.stringify(value));
const ENTITY: Readonly<Record<MappedKind, string>> = { invoice: 'invoice', creditNote: 'creditNote', customer: 'customer' };
/** The prefix of the external ID of a NetSuite record the sync writes from Invoiced. */
const PREFIX: Readonly<Record<MappedKind, string>> = { invoice: 'invd-inv-', creditNote: 'invd-cn-', customer: 'invd-cust-' };

function label(side: Side, kind: MappedKind, id: string): string {
  if (side === 'netsuite') return `NetSuite ${MAPPED[kind].type} ${id} (${MAPPED[kind].field})`;
  return `Invoiced ${MAPPED[kind].resource.replace(/s$/, '').replace('_', ' ')} #${id} (metadata.${MAPPED[kind].key})`;
}

/** The record on the other side a record is a copy of, or the source of, by its link or by the marks the sync leaves. */
function counterpart(sandbox: Sandbox, links: LinkIndex, side: Side, kind: MappedKind, id: string): { id: string; origin: Side | undefined } | undefined {
  const link = side === 'netsuite' ? links.byNetSuite.get(id) : links.byInvoiced.get(id);
  if (link !== undefined) return { id: side === 'netsuite' ? link.invoicedId : link.netsuiteId, origin: link.origin };
  if (side === 'netsuite') {
    const externalId = sandbox.netsuite.state.get(MAPPED[kind].type, id)?.externalId;
    return typeof externalId === 'string' && externalId.startsWith(PREFIX[kind]) ? { id: externalId.slice(PREFIX[kind].length), origin: 'invoiced' } : undefined;
  }
  const netsuiteId = metadataOf(sandbox, kind, id).netsuite_id;
  return typeof netsuiteId === 'string' ? { id: netsuiteId, origin: 'netsuite' } : undefined;
}

/** The checks of mapped fields after a completed run (see the file's comment). */
export function checkMappedFields(input: CheckInput, world: FaultWorld, last: RunOutcome): void {
  const mapped = world.mapped;
  if (mapped === undefined) return;
  const { sandbox } = world;
  const { fail } = input;
  const linksOf: Readonly<Record<MappedKind, LinkIndex>> = { invoice: input.invoiceLinks, creditNote: input.creditNoteLinks, customer: input.customerLinks };
  const reported = new Set((last.run?.recordErrors ?? []).map((error) => `${error.direction}:${error.entity}:${error.sourceId}`));

  for (const kind of MAPPED_KINDS) {
    const { type, resource, key } = MAPPED[kind];
    // (1) No stray metadata keys.
    for (const record of sandbox.invoiced.state.list(resource)) {
      const allowed = new Set(['netsuite_id', key, ...(mapped.initialKeys.get(`${kind}:${String(record.id)}`) ?? [])]);
      const stray = Object.keys(record.metadata).filter((name) => !allowed.has(name));
      if (stray.length > 0) fail(`${label('invoiced', kind, String(record.id))}: its metadata holds ${stray.map((name) => `${name}=${JSON.stringify(record.metadata[name])}`).join(', ')}, which neither the books, a person nor the mapping put there`);
    }
    // (2) Values only from a source, never onto one.
    const ids: [Side, string][] = [...sandbox.netsuite.state.list(type).map((record): [Side, string] => ['netsuite', String(record.id)]), ...sandbox.invoiced.state.list(resource).map((record): [Side, string] => ['invoiced', String(record.id)])];
    for (const [side, id] of ids) {
      const value = mappedValue(sandbox, side, kind, id);
      const own = ownValue(input, mapped, side, kind, id);
      const pair = counterpart(sandbox, linksOf[kind], side, kind, id);
      if (pair === undefined || pair.origin === side) {
        // A source, or nobody's copy: the sync never writes its mapped field. (A record the sync made, unlinked, is checked elsewhere.)
        if (own !== undefined && value !== own.value) fail(`${label(side, kind, id)} is ${shown(value)}, but a person left it ${shown(own.value)}: the sync wrote ${pair === undefined ? 'a record that is nobody\'s copy' : `the source of its ${other(side)} copy (an echo)`}`);
        continue;
      }
      const from = mapped.valuesOf(other(side), kind, pair.id);
      if (value !== own?.value && !from.has(value) && !(from.size === 0 && value === '')) {
        fail(`${label(side, kind, id)}, a copy of ${label(other(side), kind, pair.id)}, is ${shown(value)}: a value its source never had (${[...from].map(shown).join(', ') || 'none'}) and no person gave it (${own === undefined ? 'none' : shown(own.value)})`);
      }
    }
    if (kind === 'customer') continue; // a customer's copy is written once, when it is made: (2) covers it
    // (3) Settled links: the copy follows the source.
    for (const link of linksOf[kind].links) {
      if (GONE_FINGERPRINTS.has(link.fingerprint ?? '')) continue;
      const keys = [`netsuite_to_invoiced:${ENTITY[kind]}:${link.netsuiteId}`, `invoiced_to_netsuite:${ENTITY[kind]}:${link.invoicedId}`];
      if (keys.some((name) => input.pending.has(name) || reported.has(name))) continue;
      const ns = sandbox.netsuite.state.get(type, link.netsuiteId);
      const ivd = sandbox.invoiced.state.get(resource, Number(link.invoicedId)) as { status?: string; draft?: boolean; closed?: boolean } | undefined;
      if (ns === undefined || ivd === undefined || (ns.status as { id?: string } | undefined)?.id === 'V' || ivd.status === 'voided' || ivd.draft === true) continue;
      const source: Side = link.origin;
      const copy = other(source);
      const sourceId = source === 'netsuite' ? link.netsuiteId : link.invoicedId;
      const copyId = source === 'netsuite' ? link.invoicedId : link.netsuiteId;
      const want = mappedValue(sandbox, source, kind, sourceId);
      const got = mappedValue(sandbox, copy, kind, copyId);
      if (got === want) continue;
      const ownCopy = ownValue(input, mapped, copy, kind, copyId);
      const ownSource = ownValue(input, mapped, source, kind, sourceId);
      const personLater = ownCopy !== undefined && ownCopy.seq > 0 && (ownSource === undefined || ownCopy.seq > ownSource.seq);
      if (personLater && got === ownCopy.value) continue;
      // The source changed after the person's edit of the copy, and back: it holds what the copy held just
      // before that edit, so it has nothing the copy was not given already (its content is what the sync
      // last wrote, and a change and its undoing between two reads are no change to follow).
      const undone = ownCopy !== undefined && ownCopy.seq > 0 && got === ownCopy.value && ownCopy.before === want;
      if (undone) continue;
      const frozen = copy === 'invoiced' && ivd.closed === true && (mapped.valuesOf(source, kind, sourceId).has(got) || got === ownCopy?.value);
      if (frozen) continue;
      fail(`${label(copy, kind, copyId)} is ${shown(got)}, but its source ${label(source, kind, sourceId)} is ${shown(want)}, and the link is settled (no retry item, no record error)${describeLast(input, mapped, copy, kind, copyId, source, sourceId)}`);
    }
  }
}

/**
 * The value a person or the books left a record: the ledger's, else empty for a record of the world (a
 * person made it with no value); none for a record the sync made that no person changed.
 */
function ownValue(input: CheckInput, mapped: MappedLedger, side: Side, kind: MappedKind, id: string): PersonValue | undefined {
  return mapped.lastOf(side, kind, id) ?? (isWorldRecord(input, side, kind, id) ? { value: '', seq: 0 } : undefined);
}

function describeLast(input: CheckInput, mapped: MappedLedger, copy: Side, kind: MappedKind, copyId: string, source: Side, sourceId: string): string {
  const when = (value: PersonValue | undefined) => (value === undefined ? 'never' : `to ${shown(value.value)} (${value.change === undefined ? 'the books' : `change ${value.change + 1}`})`);
  return `; a person last set the copy ${when(ownValue(input, mapped, copy, kind, copyId))}, the source ${when(ownValue(input, mapped, source, kind, sourceId))}`;
}

/** Whether a record is the books' or a person's (not one the sync made). */
function isWorldRecord(input: CheckInput, side: Side, kind: MappedKind, id: string): boolean {
  const baseline = input.ledger.baseline;
  if (side === 'netsuite') return (kind === 'invoice' ? baseline.netsuite.invoices : kind === 'creditNote' ? baseline.netsuite.creditMemos : baseline.netsuite.customers).has(id);
  return (kind === 'invoice' ? baseline.invoiced.invoices : kind === 'creditNote' ? baseline.invoiced.creditNotes : baseline.invoiced.customers).has(id);
}

/** What a run starts from, for {@link driftProblems}. */
export interface DriftMark {
  readonly snapshot: ReadonlyMap<string, string>;
  readonly netsuiteRequests: number;
  readonly invoicedRequests: number;
}

/** The mark of `world` now (before a run). */
export function driftMark(world: FaultWorld): DriftMark {
  return { snapshot: mappedSnapshot(world.sandbox), netsuiteRequests: world.sandbox.netsuite.requests.length, invoicedRequests: world.sandbox.invoiced.requests.length };
}

const NETSUITE_WRITE = /^\/services\/rest\/record\/v1\/(invoice|creditMemo|customer)(\/|$)/;
const INVOICED_WRITE = /^\/(invoices|credit_notes|customers)(\/|$)/;

function succeededWrite(entry: RequestLogEntry, path: RegExp): boolean {
  return entry.method !== 'GET' && typeof entry.status === 'number' && entry.status >= 200 && entry.status < 300 && path.test(entry.path);
}

/** What `outcome`, the run that converged, changed of mapped fields since `mark` (nothing, when none drifts). */
export function driftProblems(world: FaultWorld, mark: DriftMark, outcome: RunOutcome): string[] {
  if (world.mapped === undefined) return [];
  const problems: string[] = [];
  const now = mappedSnapshot(world.sandbox);
  for (const [record, before] of mark.snapshot) {
    const after = now.get(record);
    if (after !== undefined && after !== before) problems.push(`the idle run ${outcome.plan.number} changed ${record.startsWith('invoiced:') ? 'the metadata' : 'the mapped field'} of ${record}: ${before} -> ${after}`);
  }
  const writes = [
    ...world.sandbox.netsuite.requests.slice(mark.netsuiteRequests).filter((entry) => succeededWrite(entry, NETSUITE_WRITE)),
    ...world.sandbox.invoiced.requests.slice(mark.invoicedRequests).filter((entry) => succeededWrite(entry, INVOICED_WRITE)),
  ];
  for (const entry of writes) problems.push(`the idle run ${outcome.plan.number} wrote ${entry.service} ${entry.method} ${entry.path} (${String(entry.status)})`);
  return problems;
}
