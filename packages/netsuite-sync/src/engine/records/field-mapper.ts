/**
 * Field mappings and the user's `transform` hook, for one run of a phase: every body the sync writes to
 * NetSuite goes through {@link FieldMapper.toNetSuite}, and every Invoiced body built from a NetSuite
 * customer, invoice or credit memo through {@link FieldMapper.toInvoiced}. What a rule needs that the
 * record does not carry (the NetSuite subsidiary of its customer) is read once per customer per run, and
 * only when a rule asks for it.
 */
import { z } from 'zod';
import { MAPPED_ENTITY } from '../../mapping/field-mapping-schemas';
import { applyNetSuiteFields, invoicedFieldsFromNetSuite, MappingError, readBackMappings, rulesNeedSubsidiary, subsidiaryFor, type FieldRuleContext, type MappedRecordType } from '../../mapping/index';
import { sql } from '../../netsuite/sql';
import type { Direction } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { valueText } from '../netsuite-queries';

type Body = Record<string, unknown>;
type Source = Readonly<Record<string, unknown>>;

/** What a record written to NetSuite is, for its rules and its errors. */
export interface NetSuiteFieldsContext extends Omit<FieldRuleContext, 'subsidiary'> {
  /** `Invoice INV-0012`, `Customer "Acme"`. */
  readonly label: string;
  /** The NetSuite customer of a transaction: its subsidiary is what `when.subsidiary` tests. */
  readonly netsuiteCustomer?: string | undefined;
  /** The subsidiary, when the caller knows it (a customer being created). */
  readonly subsidiary?: string | undefined;
  /** IANA time zone in which Invoiced dates are days. */
  readonly timeZone?: string | undefined;
}

/**
 * An Invoiced body with its mapped fields, and what an update must change in the record's metadata: the
 * keys the mappings or `transform` set, and those they remove (`null`). Empty: the update leaves metadata alone.
 */
export interface MappedInvoicedBody<T> {
  readonly body: T;
  readonly metadata: Readonly<Record<string, string | null>>;
}

const objectSchema = z.record(z.string(), z.unknown());


/** Field mappings and `transform` for one run of a phase. */
export class FieldMapper {
  private readonly subsidiaries = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly run: PhaseRun,
    private readonly deps: PhaseDeps,
  ) {}

  /** The subsidiary a customer created in NetSuite goes to (the setting, or its first rule that holds). */
  subsidiaryOf(context: FieldRuleContext & { label: string }): string | undefined {
    return subsidiaryFor(this.deps.settings.subsidiary, context, context.label);
  }

  /**
   * A NetSuite body with its mapped fields, then `transform`'s changes.
   * @throws {MappingError} `FIELD_VALUE_INVALID`, `FIELD_TRANSFORM_FAILED`, `FIELD_TRANSFORM_INVALID`.
   */
  async toNetSuite<T extends object>(type: MappedRecordType, body: T, source: Source, context: NetSuiteFieldsContext): Promise<T> {
    const mapping = this.deps.settings.netsuiteFields[type];
    let subsidiary = context.subsidiary;
    if (subsidiary === undefined && context.netsuiteCustomer !== undefined && rulesNeedSubsidiary(mapping)) subsidiary = await this.customerSubsidiary(context.netsuiteCustomer);
    const mapped = applyNetSuiteFields(type, body, mapping, source, { ...context, subsidiary });
    const transformed = await this.transform(type, 'invoiced_to_netsuite', mapped as Body, source, context.label);
    if ((transformed.externalId ?? null) !== ((mapped as Body).externalId ?? null)) throw this.invalid(type, context.label, 'it changed the external ID, by which the sync finds the record again');
    return transformed as T;
  }

  /**
   * An Invoiced body built from a NetSuite record, with the fields and metadata its mappings read back (the
   * row must hold their columns: `mappedColumns`), then `transform`'s changes. On the body, metadata keys
   * whose NetSuite value is empty are left out; `metadata` is what an update changes (Invoiced replaces the
   * whole map on an update, so the caller merges it into the record's own: `mergeMetadata`).
   */
  async toInvoiced<T extends object>(type: MappedRecordType, body: T, row: Source, label: string): Promise<MappedInvoicedBody<T>> {
    const settings = this.deps.settings.netsuiteFields;
    let result: Body = { ...(body as Body) };
    let metadata: Record<string, string | null> = {};
    if (readBackMappings(settings, type).length > 0) {
      const mapped = invoicedFieldsFromNetSuite(settings, type, row, label);
      metadata = mapped.metadata;
      const base = (result.metadata ?? {}) as Body;
      const kept = Object.fromEntries(Object.entries(mapped.metadata).filter(([, value]) => value !== null));
      result = { ...result, ...mapped.fields, metadata: { ...kept, ...base } };
    }
    const built = (result.metadata ?? {}) as Body;
    const transformed = await this.transform(type, 'netsuite_to_invoiced', result, row, label);
    const written = (transformed.metadata ?? {}) as Body;
    if (written.netsuite_id !== built.netsuite_id) throw this.invalid(type, label, 'it changed metadata.netsuite_id, by which the sync finds the record again');
    // The hook's own keys count as the mappings' do: set (or, when it dropped one, removed) on an update too.
    for (const key of Object.keys(built)) if (key !== 'netsuite_id' && !(key in written)) metadata[key] = null;
    for (const [key, value] of Object.entries(written)) if (key !== 'netsuite_id' && typeof value === 'string') metadata[key] = value;
    return { body: transformed as T, metadata };
  }

  /** Whether NetSuite records of this type bring mapped fields back to Invoiced. */
  readsBack(type: MappedRecordType): boolean {
    return readBackMappings(this.deps.settings.netsuiteFields, type).length > 0;
  }

  private async transform(type: MappedRecordType, direction: Direction, record: Body, source: Source, label: string): Promise<Body> {
    const hook = this.deps.transform;
    if (hook === undefined) return record;
    let result: unknown;
    try {
      result = await hook(record, { type, direction, source, connectionId: this.deps.connectionId, dryRun: this.deps.dryRun === true });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MappingError('FIELD_TRANSFORM_FAILED', `${label}: the transform hook failed: ${reason.slice(0, 300)}`, 'Fix the transform function given to createSyncEngine, then retry the record.', undefined, {
        entity: MAPPED_ENTITY[type],
        cause: error,
      });
    }
    const parsed = objectSchema.safeParse(result);
    if (!parsed.success || Array.isArray(result)) throw this.invalid(type, label, 'it did not return an object');
    return parsed.data;
  }

  private invalid(type: MappedRecordType, label: string, why: string): MappingError {
    return new MappingError('FIELD_TRANSFORM_INVALID', `${label}: the transform hook's result cannot be written: ${why}.`, 'Return the record given to the transform function, changed, keeping its external ID and metadata.netsuite_id.', undefined, {
      entity: MAPPED_ENTITY[type],
    });
  }

  /** The subsidiary of a NetSuite customer, read once per run. */
  private customerSubsidiary(id: string): Promise<string | undefined> {
    let read = this.subsidiaries.get(id);
    if (read === undefined) {
      read = this.deps.netsuite.suiteql(sql`SELECT c.subsidiary FROM customer c WHERE c.id = ${Number(id)}`, { limit: 1, signal: this.run.signal }).then((page) => valueText(page.items[0]?.subsidiary) || undefined);
      read.catch(() => this.subsidiaries.delete(id));
      this.subsidiaries.set(id, read);
    }
    return read;
  }
}
