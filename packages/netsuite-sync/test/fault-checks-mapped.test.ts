/**
 * The fault harness's checks of mapped fields (test/faults/mapping-checks.ts, docs/reliability.md "Mapped
 * fields"), themselves checked: on a cleanly synced seed, each kind of damage a faulty sync could do to a
 * mapped field, made by hand, is reported, and what the engine documents as right is not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkState } from './faults/invariants';
import { MAPPED, mappedValue, metadataOf } from './faults/mapped-fields';
import { driftMark, driftProblems } from './faults/mapping-checks';
import { applyMutation } from './faults/mutate';
import { cleanSyncs } from './faults/clean-syncs';
import { harnessOptions } from './faults/options';
import { cleanRun } from './faults/scenario';

const SEED = 3;

describe.skipIf(harnessOptions().profile === 'replay')('the fault harness notices: mapped fields', () => {
  const syncs = cleanSyncs();
  const clean = () => syncs.sync(SEED);
  afterEach(syncs.close);

  it('mapped fields: a copy that drifts from its source, a source written (an echo), a stray metadata key, an idle run that writes; a person\'s value on an imported copy is allowed', async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId } = context.world;
    const links = await store.listLinks(connectionId, 'invoice');
    const imported = links.find((link) => link.origin === 'netsuite' && sandbox.invoiced.state.get('invoices', Number(link.invoicedId))?.closed === false);
    const written = (await store.listLinks(connectionId, 'customer')).find((link) => link.origin === 'invoiced');
    if (imported === undefined || written === undefined) throw new Error(`seed ${SEED} imports no open invoice or writes no customer to NetSuite`);
    // A person's value on the imported copy stays until NetSuite's changes next (the sync never writes an imported invoice back).
    const person = await applyMutation(context.world, context.ledger, { index: 90, kind: 'ivd_invoice_po', run: 1, op: null, target: imported.invoicedId, nul: false });
    expect(person.outcome).toBe('applied');
    expect(await checkState(context, last, true)).toEqual([]);
    // NetSuite's value changed by a person: the copy must follow it once the link is settled.
    expect((await applyMutation(context.world, context.ledger, { index: 91, kind: 'ns_invoice_po', run: 1, op: null, target: imported.netsuiteId, nul: false })).outcome).toBe('applied');
    expect(await checkState(context, last, true)).toContainEqual(expect.stringMatching(new RegExp(`Invoiced invoice #${imported.invoicedId} \\(metadata.po\\) is .*, but its source NetSuite invoice ${imported.netsuiteId} \\(custbody_po\\) is .*the link is settled`)));
    const mark = driftMark(context.world);
    context.world.later(60_000);
    const next = await context.world.run(cleanRun(3));
    expect(await checkState(context, next, true)).toEqual([]);
    // Damage by hand: the sources of a written customer and of an imported invoice changed (echoes), a stray key.
    const metadata = sandbox.invoiced.state.get('customers', Number(written.invoicedId))?.metadata ?? {};
    sandbox.invoiced.state.update('customers', Number(written.invoicedId), { metadata: { ...metadata, tier: 'ECHOED', custentity_tier: 'ECHOED' } });
    sandbox.netsuite.state.update('invoice', imported.netsuiteId, { custbody_po: 'NOT-A-PERSON' });
    const violations = await checkState(context, next, true);
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`Invoiced customer #${written.invoicedId} \\(metadata.tier\\) is "ECHOED", but a person left it .*an echo`)));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`Invoiced customer #${written.invoicedId} \\(metadata.tier\\): its metadata holds custentity_tier="ECHOED"`)));
    expect(violations).toContainEqual(expect.stringMatching(new RegExp(`NetSuite invoice ${imported.netsuiteId} \\(custbody_po\\) is "NOT-A-PERSON", but a person left it`)));
    // The run above wrote the copy: as the run that converged, it would have drifted.
    expect(driftProblems(context.world, mark, next)).toContainEqual(expect.stringMatching(new RegExp(`changed the metadata of invoiced:invoice:${imported.invoicedId}`)));
    expect(driftProblems(context.world, mark, next)).toContainEqual(expect.stringMatching(/wrote invoiced PATCH \/invoices\//));
  });

  it("mapped fields: a person's value on a copy stays while its source, changed since, holds again what the copy had before; a new value at the source must reach the copy", async () => {
    const { context, last } = await clean();
    const { sandbox, store, connectionId } = context.world;
    const mapped = context.world.mapped;
    const imported = (await store.listLinks(connectionId, 'invoice')).find((link) => link.origin === 'netsuite' && sandbox.invoiced.state.get('invoices', Number(link.invoicedId))?.closed === false);
    if (mapped === undefined || imported === undefined) throw new Error(`seed ${SEED} has no field mappings or imports no open invoice`);
    const { field, key } = MAPPED.invoice;
    const source = imported.netsuiteId;
    const copy = imported.invoicedId;
    const synced = mappedValue(sandbox, 'invoiced', 'invoice', copy);
    const atSource = (value: string, before: string, change: number) => {
      sandbox.netsuite.state.update('invoice', source, { [field]: value === '' ? null : value });
      mapped.person('netsuite', 'invoice', source, before, value, change);
    };
    // A person types a value on the Invoiced copy; then the source is changed, and changed back, before a sync reads it.
    sandbox.invoiced.state.update('invoices', Number(copy), { metadata: { ...metadataOf(sandbox, 'invoice', copy), [key]: 'TYPED-ON-COPY' } });
    mapped.person('invoiced', 'invoice', copy, synced, 'TYPED-ON-COPY', 93);
    atSource('BRIEFLY', synced, 94);
    atSource(synced, 'BRIEFLY', 95);
    // The source holds what the sync wrote to the copy: it has nothing new, and the person's value stays.
    expect(await checkState(context, last, true)).toEqual([]);
    // A value the copy never had from it must reach the copy.
    atSource('NEW-AT-SOURCE', synced, 96);
    expect(await checkState(context, last, true)).toContainEqual(
      expect.stringMatching(new RegExp(`Invoiced invoice #${copy} \\(metadata.po\\) is "TYPED-ON-COPY", but its source NetSuite invoice ${source} \\(custbody_po\\) is "NEW-AT-SOURCE", and the link is settled`)),
    );
  });
});
