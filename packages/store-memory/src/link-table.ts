/**
 * The links of one kind, indexed by both sides, kept small: a sync of 100,000 invoices holds some 75,000
 * of them for the life of the process. A link is kept as its IDs (a canonical decimal ID as a number, which
 * needs no string of its own), its origin, its fingerprint (a SHA-256 in hex as its 32 bytes) and its time
 * (epoch milliseconds), and made a `SyncLink` again, exactly as saved, each time it is read.
 */
import type { SyncLink } from '@invoiced/netsuite-sync';

/** An ID as kept: a number for a canonical decimal ID that a double holds exactly, the string otherwise. */
type Id = string | number;

interface KeptLink {
  readonly invoicedId: Id;
  readonly netsuiteId: Id;
  readonly origin: SyncLink['origin'];
  /** 32 characters (one byte each) for a lowercase SHA-256 hex fingerprint; anything else as it is. */
  readonly fingerprint: string | null;
  readonly packed: boolean;
  readonly updatedAt: number;
}

const CANONICAL = /^(0|[1-9]\d{0,14})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function keep(id: string): Id {
  return CANONICAL.test(id) ? Number(id) : id;
}

function give(id: Id): string {
  return typeof id === 'number' ? String(id) : id;
}

export class LinkTable {
  readonly #byInvoicedId = new Map<Id, KeptLink>();
  readonly #byNetSuiteId = new Map<Id, KeptLink>();
  /** Links whose time is not a `toISOString()` (a clock of another kind): kept as given. */
  readonly #times = new WeakMap<KeptLink, string>();

  constructor(private readonly kind: SyncLink['kind']) {}

  byInvoicedId(invoicedId: string): SyncLink | undefined {
    const kept = this.#byInvoicedId.get(keep(invoicedId));
    return kept === undefined ? undefined : this.#give(kept);
  }

  byNetSuiteId(netsuiteId: string): SyncLink | undefined {
    const kept = this.#byNetSuiteId.get(keep(netsuiteId));
    return kept === undefined ? undefined : this.#give(kept);
  }

  /** Keeps `link` (already checked against the links it replaces), under both of its IDs. */
  set(link: SyncLink): void {
    const packed = link.fingerprint !== null && SHA256_HEX.test(link.fingerprint);
    const time = Date.parse(link.updatedAt);
    const kept: KeptLink = {
      invoicedId: keep(link.invoicedId),
      netsuiteId: keep(link.netsuiteId),
      origin: link.origin,
      fingerprint: packed ? Buffer.from(link.fingerprint ?? '', 'hex').toString('latin1') : link.fingerprint,
      packed,
      updatedAt: time,
    };
    if (!ISO_MS.test(link.updatedAt) || Number.isNaN(time) || new Date(time).toISOString() !== link.updatedAt) this.#times.set(kept, link.updatedAt);
    this.#byInvoicedId.set(kept.invoicedId, kept);
    this.#byNetSuiteId.set(kept.netsuiteId, kept);
  }

  /** Every link, in no particular order. */
  all(): SyncLink[] {
    return [...this.#byInvoicedId.values()].map((kept) => this.#give(kept));
  }

  #give(kept: KeptLink): SyncLink {
    return {
      kind: this.kind,
      invoicedId: give(kept.invoicedId),
      netsuiteId: give(kept.netsuiteId),
      origin: kept.origin,
      fingerprint: kept.packed ? Buffer.from(kept.fingerprint ?? '', 'latin1').toString('hex') : kept.fingerprint,
      updatedAt: this.#times.get(kept) ?? new Date(kept.updatedAt).toISOString(),
    };
  }
}
