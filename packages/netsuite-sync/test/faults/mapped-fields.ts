/**
 * Field mappings in the fault world: the account shape (a custom body field `custbody_po` on invoices and
 * credit memos, an entity field `custentity_tier` on customers), the settings that map them both ways to
 * Invoiced metadata (`metadata.po`, `metadata.tier`), how each side's mapped value is read, and the
 * {@link MappedLedger}: every value a person (or the books) gave a mapped field, and when, so that the
 * checks (mapping-checks.ts) can tell the sync's writes from a person's.
 */
import type { NetSuiteAccountShape, Random, Sandbox } from '@invoiced/netsuite-sync-sandbox';
import type { SyncSettingsInput } from '../../src/index';

/** The account shape of a world with field mappings: two optional text fields. */
export const MAPPED_SHAPE: NetSuiteAccountShape = {
  customFields: [
    { scriptId: 'custbody_po', label: 'Customer PO', type: 'text', appliesTo: ['invoice', 'creditMemo'] },
    { scriptId: 'custentity_tier', label: 'Tier', type: 'text', appliesTo: ['customer'] },
  ],
};

/** `settings.netsuiteFields` of a world with field mappings: each field mapped both ways. */
export const MAPPED_SETTINGS: NonNullable<SyncSettingsInput['netsuiteFields']> = {
  invoice: { fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }] },
  creditMemo: { fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }] },
  customer: { fields: [{ invoiced: 'metadata.tier', netsuite: 'custentity_tier' }] },
};

/** A record with a mapped field. */
export type MappedKind = 'invoice' | 'creditNote' | 'customer';
/** A side. */
export type Side = 'netsuite' | 'invoiced';

/** Per kind: the NetSuite record type and field, the Invoiced resource and metadata key. */
export const MAPPED: Readonly<Record<MappedKind, { readonly type: 'invoice' | 'creditMemo' | 'customer'; readonly field: string; readonly resource: 'invoices' | 'credit_notes' | 'customers'; readonly key: string }>> = {
  invoice: { type: 'invoice', field: 'custbody_po', resource: 'invoices', key: 'po' },
  creditNote: { type: 'creditMemo', field: 'custbody_po', resource: 'credit_notes', key: 'po' },
  customer: { type: 'customer', field: 'custentity_tier', resource: 'customers', key: 'tier' },
};
export const MAPPED_KINDS: readonly MappedKind[] = ['invoice', 'creditNote', 'customer'];

/** A mapped value as the checks compare it: empty (absent, `null`, blank) is `''`. */
export function valueOf(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim() === '' ? '' : raw;
  if (typeof raw === 'number') return String(raw);
  return '';
}

/** The metadata of an Invoiced record (a plain map; empty when none). */
export function metadataOf(sandbox: Sandbox, kind: MappedKind, id: string): Record<string, unknown> {
  const record = sandbox.invoiced.state.get(MAPPED[kind].resource, Number(id)) as { metadata?: unknown } | undefined;
  const metadata = record?.metadata;
  return typeof metadata === 'object' && metadata !== null ? { ...(metadata as Record<string, unknown>) } : {};
}

/** A record's mapped value now: NetSuite's field, or the Invoiced metadata key. */
export function mappedValue(sandbox: Sandbox, side: Side, kind: MappedKind, id: string): string {
  if (side === 'netsuite') return valueOf(sandbox.netsuite.state.get(MAPPED[kind].type, id)?.[MAPPED[kind].field]);
  return valueOf(metadataOf(sandbox, kind, id)[MAPPED[kind].key]);
}

/** Every record's mapped value and (Invoiced) metadata keys, by `side:kind:id`. */
export function mappedSnapshot(sandbox: Sandbox): Map<string, string> {
  const snapshot = new Map<string, string>();
  for (const kind of MAPPED_KINDS) {
    const { type, field, resource } = MAPPED[kind];
    for (const record of sandbox.netsuite.state.list(type)) snapshot.set(`netsuite:${kind}:${String(record.id)}`, valueOf(record[field]));
    for (const record of sandbox.invoiced.state.list(resource)) snapshot.set(`invoiced:${kind}:${String(record.id)}`, JSON.stringify(Object.entries(record.metadata).sort()));
  }
  return snapshot;
}

/** A value a person gave a mapped field, and the order it was given in (0: the books'). */
export interface PersonValue {
  readonly value: string;
  readonly seq: number;
  /** The world's change that gave it (its index in the plan); none for the books' value. */
  readonly change?: number;
  /** What the record held just before the person's change (the sync's value on a copy); none for the books' value. */
  readonly before?: string;
}

/**
 * What people (and the books) did to the mapped fields: each record's last value and every value it ever
 * had from them, and each Invoiced record's metadata keys before the first run.
 */
export class MappedLedger {
  /** By `side:kind:id`: the last value a person gave it. */
  readonly last = new Map<string, PersonValue>();
  /** By `side:kind:id`: every value a person or the books gave it (`''` for empty). */
  readonly history = new Map<string, Set<string>>();
  /** By `kind:id`: the metadata keys of an Invoiced record before the first run. */
  readonly initialKeys = new Map<string, ReadonlySet<string>>();
  #seq = 0;

  constructor(sandbox: Sandbox) {
    for (const kind of MAPPED_KINDS) {
      const { type, field, resource } = MAPPED[kind];
      for (const record of sandbox.netsuite.state.list(type)) this.#note(`netsuite:${kind}:${String(record.id)}`, valueOf(record[field]), 0);
      for (const record of sandbox.invoiced.state.list(resource)) {
        this.#note(`invoiced:${kind}:${String(record.id)}`, valueOf(record.metadata[MAPPED[kind].key]), 0);
        this.initialKeys.set(`${kind}:${String(record.id)}`, new Set(Object.keys(record.metadata)));
      }
    }
  }

  #note(key: string, value: string, seq: number, change?: number, before?: string): void {
    this.last.set(key, { value, seq, ...(change === undefined ? {} : { change }), ...(before === undefined ? {} : { before }) });
    const values = this.history.get(key) ?? new Set<string>();
    values.add(value);
    this.history.set(key, values);
  }

  /**
   * A person changed a record's mapped field from `before` (what it held, maybe the sync's value) to `value`
   * (`''`: cleared it), in the world's change `change` (its index in the plan). A record a person made has no
   * value before (`''`).
   */
  person(side: Side, kind: MappedKind, id: string, before: string, value: string, change: number): void {
    // Typing the value the field holds already changes nothing (neither service sees a change to follow).
    if (before === value) return;
    const key = `${side}:${kind}:${id}`;
    if (!this.history.has(key)) this.history.set(key, new Set(['']));
    this.#seq += 1;
    this.#note(key, value, this.#seq, change, before);
  }

  /** The values a record had from people or the books (a record the sync made: none). */
  valuesOf(side: Side, kind: MappedKind, id: string): ReadonlySet<string> {
    return this.history.get(`${side}:${kind}:${id}`) ?? new Set();
  }

  /** The last value a person gave the record, if a person or the books ever did. */
  lastOf(side: Side, kind: MappedKind, id: string): PersonValue | undefined {
    return this.last.get(`${side}:${kind}:${id}`);
  }
}

/**
 * Mapped values in the books, drawn from `random` (a stream of their own): about two records in five
 * that start on one side (not the sync's copies) get a value, through the state APIs as a person's import would.
 */
export function seedMappedValues(sandbox: Sandbox, random: Random): void {
  const ns = sandbox.netsuite.state;
  const ivd = sandbox.invoiced.state;
  const value = (kind: MappedKind, id: string) => `${kind === 'customer' ? 'TIER' : 'PO'}-${id}-${random.int(100, 999)}`;
  for (const kind of MAPPED_KINDS) {
    const { type, field, resource, key } = MAPPED[kind];
    for (const record of ns.list(type)) {
      const externalId = typeof record.externalId === 'string' ? record.externalId : '';
      const status = (record.status as { id?: string } | undefined)?.id;
      if (externalId.startsWith('invd-') || status === 'V' || record.isInactive === true || !random.chance(0.4)) continue;
      ns.update(type, String(record.id), { [field]: value(kind, String(record.id)) });
    }
    for (const record of ivd.list(resource)) {
      const closed = (record as { closed?: boolean }).closed === true;
      const voided = (record as { status?: string }).status === 'voided';
      if (record.metadata.netsuite_id !== undefined || closed || voided || !random.chance(0.4)) continue;
      ivd.update(resource, record.id, { metadata: { ...record.metadata, [key]: value(kind, String(record.id)) } });
    }
  }
}
