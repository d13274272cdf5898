/**
 * A record that cannot be decided yet: it relies on what phases running beside its own will decide (an
 * Invoiced customer that the NetSuite-to-Invoiced phases may still link). Thrown by a record's handler, it
 * is not a failure: the phase hands the record again once one of those phases has settled, or as soon as a
 * phase saves the link it names (`link`), and meanwhile goes on with its other records.
 */
import type { EntityKind } from '../../store/sync-store';

/** A link a deferred record waits for: of `kind`, with one of `invoicedIds`. */
export interface AwaitedLink {
  readonly kind: EntityKind;
  readonly invoicedIds: readonly string[];
}

export class RecordDeferred extends Error {
  override name = 'RecordDeferred';

  constructor(
    readonly after: readonly string[],
    readonly link?: AwaitedLink,
  ) {
    // Not a failure but the phase's signal, thrown for thousands of records in a large sync and kept while
    // they wait: no stack is captured (a stack holds the functions and receivers of the frames it names).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`The record waits for phase ${after.join(', ')} to finish.`);
    Error.stackTraceLimit = limit;
  }
}
