/**
 * A record that cannot be decided yet: it relies on what phases running beside its own will decide (an
 * Invoiced customer that the NetSuite-to-Invoiced phases may still link). Thrown by a record's handler, it
 * is not a failure: the phase hands the record again once those phases have settled, and meanwhile goes on
 * with its other records.
 */
export class RecordDeferred extends Error {
  override name = 'RecordDeferred';

  constructor(readonly after: readonly string[]) {
    super(`The record waits for phase ${after.join(', ')} to finish.`);
  }
}
