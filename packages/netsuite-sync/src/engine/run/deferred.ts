/**
 * A record that cannot be decided yet: it relies on what phases running beside its own will decide (an
 * Invoiced customer that the NetSuite-to-Invoiced phases may still link). Thrown by a record's handler, it
 * is not a failure: the phase hands the record again once one of those phases has settled, or as soon as
 * `wake` resolves (the link it waits for was saved: `PhaseRun.linkSaved`), and meanwhile goes on with
 * its other records.
 */
export class RecordDeferred extends Error {
  override name = 'RecordDeferred';

  constructor(
    readonly after: readonly string[],
    readonly wake?: Promise<void>,
  ) {
    super(`The record waits for phase ${after.join(', ')} to finish.`);
  }
}
