/**
 * The changes people make to mapped fields (a world with field mappings, mapped-fields.ts): a PO number
 * set, changed or cleared on an Invoiced invoice or credit note (`metadata.po`) or on a NetSuite invoice or
 * credit memo (`custbody_po`), and a customer's tier on either side (`metadata.tier`, `custentity_tier`).
 * Any such record that fits is drawn: one that started on that side, one the sync copied there, or one
 * not synced yet; on Invoiced, only documents that are open (Invoiced refuses to edit a closed one). Each
 * change is noted in the world's {@link MappedLedger}, so that the checks know a person's value from the sync's.
 */
import { MAPPED, metadataOf, valueOf, type MappedKind, type Side } from './mapped-fields';
import { choose, type Change, type Ctx } from './mutate-support';
import type { MutationKind } from './mutations';

/** The kinds of change about mapped fields, with the side and the record each changes. */
const TARGETS: Readonly<Partial<Record<MutationKind, readonly [Side, MappedKind]>>> = {
  ivd_invoice_po: ['invoiced', 'invoice'],
  ivd_credit_note_po: ['invoiced', 'creditNote'],
  ns_invoice_po: ['netsuite', 'invoice'],
  ns_credit_memo_po: ['netsuite', 'creditNote'],
  ivd_customer_tier: ['invoiced', 'customer'],
  ns_customer_tier: ['netsuite', 'customer'],
};

/** Records of `kind` on `side` a person may change the mapped field of: not voided, and on Invoiced not closed or a draft. */
function candidates(ctx: Ctx, side: Side, kind: MappedKind): { id: string }[] {
  if (side === 'netsuite') {
    return ctx.sandbox.netsuite.state
      .list(MAPPED[kind].type)
      .filter((record) => (record.status as { id?: string } | undefined)?.id !== 'V' && record.isInactive !== true)
      .map((record) => ({ id: String(record.id) }));
  }
  return ctx.sandbox.invoiced.state
    .list(MAPPED[kind].resource)
    .filter((record) => {
      const document = record as { closed?: boolean; status?: string; draft?: boolean };
      return document.closed !== true && document.status !== 'voided' && document.draft !== true;
    })
    .map((record) => ({ id: String(record.id) }));
}

/** The queue key of a record's item, for preferring one the sync left unfinished. */
function queueKey(side: Side, kind: MappedKind): string {
  return `${side === 'netsuite' ? 'netsuite_to_invoiced' : 'invoiced_to_netsuite'}:${kind}`;
}

/** A change of a mapped field, or `null` when the kind is not one or no record fits. */
export function mappingChange(ctx: Ctx): Change {
  const target = TARGETS[ctx.mutation.kind];
  if (target === undefined) return null;
  const [side, kind] = target;
  const record = choose(ctx, candidates(ctx, side, kind), queueKey(side, kind));
  if (record === undefined) return null;
  const { type, field, resource, key } = MAPPED[kind];
  const before = side === 'netsuite' ? valueOf(ctx.sandbox.netsuite.state.get(type, record.id)?.[field]) : valueOf(metadataOf(ctx.sandbox, kind, record.id)[key]);
  const clear = before !== '' && ctx.random.chance(0.3);
  // Values a person might type, some with a space or an accent inside.
  const value = clear ? '' : `${ctx.random.pick(kind === 'customer' ? ['Gold', 'Silver', 'Tier B', 'Première'] : ['PO', 'PO #', 'Réf'])}-${ctx.mutation.index}-${ctx.random.int(10, 99)}`;
  const name = side === 'netsuite' ? `NetSuite ${type} ${record.id}` : `Invoiced ${resource.replace(/s$/, '').replace('_', ' ')} #${record.id}`;
  const where = side === 'netsuite' ? field : `metadata.${key}`;
  return {
    detail: `${name}: ${where} ${clear ? `cleared (was ${JSON.stringify(before)})` : `${before === '' ? 'set' : `changed from ${JSON.stringify(before)}`} to ${JSON.stringify(value)}`}`,
    touched: [],
    act: () => {
      if (side === 'netsuite') {
        ctx.sandbox.netsuite.state.update(type, record.id, { [field]: clear ? null : value });
      } else {
        // Invoiced replaces the whole metadata map: the record's other keys (netsuite_id) are sent again.
        const metadata = metadataOf(ctx.sandbox, kind, record.id);
        if (clear) delete metadata[key];
        else metadata[key] = value;
        ctx.sandbox.invoiced.state.update(resource, Number(record.id), { metadata });
      }
      ctx.world.mapped?.person(side, kind, record.id, before, value, ctx.mutation.index);
    },
  };
}
