/**
 * Every input of the package validated with zod: connections and their schedules, the fleet's location,
 * the worker's options. Bad input is a `ConfigurationError` naming each field; nothing is written.
 */
import { ConfigurationError, durationToMs, parseSyncSettings, toValidationIssues } from '@invoiced/netsuite-sync';
import type { Logger, SyncSettingsInput } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import type { ClientsFor, ConnectionInput, ConnectionPatch, FleetLimit, FleetOptions, JsonValue, Schedule, SetLimitInput, WorkerRuntimeOptions } from './contracts';

export const DEFAULT_EVERY_MS = 3_600_000;
export const DEFAULT_JITTER = 0.1;
export const MIN_EVERY_MS = 1_000;
export const MAX_EVERY_MS = 7 * 86_400_000;
/** The largest `metadata` or `notify` value, as JSON text. */
export const MAX_JSON_BYTES = 16_384;

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;
const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,39}$/;

export const connectionIdSchema = z.string({ message: 'must be a string' }).regex(ID_PATTERN, 'must be 1 to 200 letters, digits or _ . : -');

const duration = (min: number, max: number, label: string) =>
  z.union([z.string(), z.number()], { message: `must be a duration such as '1h', '15m' or '90s', or milliseconds` }).transform((value, context) => {
    const ms = durationToMs(value);
    if (ms === undefined || ms < min || ms > max) {
      context.addIssue({ code: 'custom', message: ms === undefined ? "must be a duration such as '1h', '15m' or '90s', or milliseconds" : `must be from ${label}` });
      return z.NEVER;
    }
    return ms;
  });

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** Whether a JSON value is at most 16 KB as text. */
const withinSize = (value: unknown): boolean => Buffer.byteLength(JSON.stringify(value)) <= MAX_JSON_BYTES;
const SIZE_MESSAGE = `must be at most ${MAX_JSON_BYTES} bytes as JSON`;

/** A JSON value of at most 16 KB. */
const boundedJson = jsonValue.refine(withinSize, SIZE_MESSAGE);

const scheduleInput = z.strictObject({
  every: duration(MIN_EVERY_MS, MAX_EVERY_MS, '1s to 7d').optional(),
  jitter: z.number({ message: 'must be a number from 0 to 1' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
  paused: z.boolean({ message: 'must be true or false' }).optional(),
});

const settingsInput = z.unknown().transform((value, context) => {
  if (value === undefined) return {};
  try {
    parseSyncSettings(value);
  } catch (error) {
    const issues = error instanceof ConfigurationError && error.issues.length > 0 ? error.issues : [{ path: '', message: error instanceof Error ? error.message : String(error) }];
    for (const issue of issues) context.addIssue({ code: 'custom', path: issue.path === '' ? [] : issue.path.split('.'), message: issue.message });
    return z.NEVER;
  }
  return value as SyncSettingsInput;
});

const accountSchema = z.string({ message: 'must be a string' }).regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be the NetSuite account ID, such as 1234567 or 1234567_SB1');
const keyIdSchema = z.string({ message: 'must be a string' }).regex(ID_PATTERN, 'must be 1 to 200 letters, digits or _ . : - (a name for the key, never the key)');

const fields = {
  netsuiteAccount: accountSchema,
  invoicedKeyId: keyIdSchema,
  settings: settingsInput,
  schedule: scheduleInput,
  enabled: z.boolean({ message: 'must be true or false' }),
  metadata: z.record(z.string(), jsonValue).refine(withinSize, SIZE_MESSAGE),
};

const connectionInputSchema = z.strictObject({
  id: connectionIdSchema,
  netsuiteAccount: fields.netsuiteAccount,
  invoicedKeyId: fields.invoicedKeyId,
  settings: fields.settings.optional(),
  schedule: fields.schedule.optional(),
  enabled: fields.enabled.optional(),
  metadata: fields.metadata.optional(),
});

const connectionPatchSchema = z.strictObject({
  netsuiteAccount: fields.netsuiteAccount.optional(),
  invoicedKeyId: fields.invoicedKeyId.optional(),
  settings: fields.settings.optional(),
  schedule: fields.schedule.optional(),
  enabled: fields.enabled.optional(),
  metadata: fields.metadata.optional(),
});

/** A validated new connection. */
export interface ParsedConnection {
  readonly id: string;
  readonly netsuiteAccount: string;
  readonly invoicedKeyId: string;
  readonly settings: SyncSettingsInput;
  readonly schedule: Schedule;
  readonly enabled: boolean;
  readonly metadata: { readonly [key: string]: JsonValue };
}

/** A validated change: only the fields given, the schedule's parts merged by the registry. */
export interface ParsedPatch {
  readonly netsuiteAccount?: string;
  readonly invoicedKeyId?: string;
  readonly settings?: SyncSettingsInput;
  readonly schedule?: { everyMs?: number; jitter?: number; paused?: boolean };
  readonly enabled?: boolean;
  readonly metadata?: { readonly [key: string]: JsonValue };
}

function invalid(what: string, error: z.ZodError, resolution: string): ConfigurationError {
  const issues = toValidationIssues(error.issues);
  return new ConfigurationError(`Invalid ${what}: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}.`, {
    code: 'INVALID_FLEET_INPUT',
    issues,
    resolution,
  });
}

export function parseConnectionInput(input: ConnectionInput): ParsedConnection {
  const parsed = connectionInputSchema.safeParse(input);
  if (!parsed.success) throw invalid('connection', parsed.error, 'Correct the fields named in the error; docs/scaling.md describes a connection.');
  const { schedule = {}, ...rest } = parsed.data;
  return {
    ...rest,
    settings: rest.settings ?? {},
    enabled: rest.enabled ?? true,
    metadata: rest.metadata ?? {},
    schedule: { everyMs: schedule.every ?? DEFAULT_EVERY_MS, jitter: schedule.jitter ?? DEFAULT_JITTER, paused: schedule.paused ?? false },
  };
}

export function parseConnectionPatch(patch: ConnectionPatch): ParsedPatch {
  const parsed = connectionPatchSchema.safeParse(patch);
  if (!parsed.success) throw invalid('connection change', parsed.error, 'Correct the fields named in the error; docs/scaling.md describes a connection.');
  const { schedule, ...rest } = parsed.data;
  const result: { -readonly [K in keyof ParsedPatch]: ParsedPatch[K] } = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  if (schedule !== undefined) {
    const parts: { everyMs?: number; jitter?: number; paused?: boolean } = {};
    if (schedule.every !== undefined) parts.everyMs = schedule.every;
    if (schedule.jitter !== undefined) parts.jitter = schedule.jitter;
    if (schedule.paused !== undefined) parts.paused = schedule.paused;
    result.schedule = parts;
  }
  return result;
}

export function parseConnectionId(id: unknown): string {
  const parsed = connectionIdSchema.safeParse(id);
  if (!parsed.success) throw invalid('connection ID', parsed.error, 'Pass the ID the connection was registered with.');
  return parsed.data;
}

export function parseNotify(value: unknown): JsonValue {
  if (value === undefined) return null;
  const parsed = boundedJson.safeParse(value);
  if (!parsed.success) throw invalid('notify value', parsed.error, 'Pass a JSON value of at most 16 KB (no functions, no undefined).');
  return parsed.data;
}

const identifier = z.string().regex(IDENTIFIER_PATTERN, 'must be lower-case letters, digits and _, starting with a letter or _, at most 40 characters');

const locationSchema = z.object({
  schema: identifier.default('public'),
  tablePrefix: z.string().regex(/^[a-z_][a-z0-9_]{0,29}$/, 'must be lower-case letters, digits and _, at most 30 characters').default('netsuite_sync_worker_'),
  bossSchema: identifier.default('pgboss'),
  queue: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1 to 100 letters, digits or _ . -').default('netsuite-sync'),
  store: z.strictObject({ schema: z.string().optional(), tablePrefix: z.string().optional() }).default({}),
});

const fleetSchema = locationSchema.extend({
  database: z.custom<FleetOptions['database']>(
    (value) => typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function',
    'must be a pg Pool or PGlite',
  ),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a logger object').optional(),
});

export type ParsedFleetOptions = z.output<typeof fleetSchema>;

const fn = <T>(message: string) => z.custom<T>((value) => typeof value === 'function', message);
const positiveInt = (max: number) => z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, `must be from 1 to ${max}`).max(max, `must be from 1 to ${max}`);

const runtimeSchema = z.object({
  clientsFor: fn<ClientsFor>('must be a function (connection) => ({ netsuite, invoiced })'),
  concurrency: positiveInt(256).default(4),
  workerId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1 to 100 letters, digits or _ . : -').optional(),
  limits: z.strictObject({ perNetSuiteAccount: positiveInt(100).default(1), perInvoicedKey: positiveInt(100).default(2) }).default({ perNetSuiteAccount: 1, perInvoicedKey: 2 }),
  tickMs: z.number().int().min(100, 'must be from 100 to 600000').max(600_000, 'must be from 100 to 600000').default(5_000),
  pollingIntervalSeconds: z.number().min(0.5, 'must be at least 0.5').max(600, 'must be at most 600').default(2),
  heartbeatSeconds: z.number().int().min(10, 'must be at least 10 (pg-boss)').max(3_600, 'must be at most 3600').default(30),
  monitorIntervalSeconds: z.number().int().min(1, 'must be at least 1').max(600, 'must be at most 600').default(10),
  retention: z
    .union([
      z.literal(false),
      z.strictObject({
        olderThan: duration(3_600_000, 3_650 * 86_400_000, '1h to 3650d').default(30 * 86_400_000),
        keepLatest: z.number().int().min(0).max(10_000).default(20),
        every: duration(60_000, 7 * 86_400_000, '1m to 7d').default(3_600_000),
      }),
    ])
    .default({ olderThan: 30 * 86_400_000, keepLatest: 20, every: 3_600_000 }),
  drainMs: z.number().int().min(0).max(3_600_000).default(30_000),
  onJob: fn<NonNullable<WorkerRuntimeOptions['onJob']>>('must be a function').optional(),
  onImportFinished: fn<NonNullable<WorkerRuntimeOptions['onImportFinished']>>('must be a function').optional(),
  onEvent: fn<NonNullable<WorkerRuntimeOptions['onEvent']>>('must be a function').optional(),
});

export type ParsedRuntimeOptions = z.output<typeof runtimeSchema>;

export function parseFleetOptions(options: FleetOptions): ParsedFleetOptions {
  const parsed = fleetSchema.safeParse(options);
  if (!parsed.success) throw invalid('fleet options', parsed.error, 'Pass { database } with a pg Pool or PGlite; docs/scaling.md lists the options.');
  return parsed.data;
}

export function parseRuntimeOptions(options: WorkerRuntimeOptions): ParsedRuntimeOptions {
  const { clientsFor, concurrency, workerId, limits, tickMs, pollingIntervalSeconds, heartbeatSeconds, monitorIntervalSeconds, retention, drainMs, onJob, onImportFinished, onEvent } = options;
  const parsed = runtimeSchema.safeParse({ clientsFor, concurrency, workerId, limits, tickMs, pollingIntervalSeconds, heartbeatSeconds, monitorIntervalSeconds, retention, drainMs, onJob, onImportFinished, onEvent });
  if (!parsed.success) throw invalid('worker options', parsed.error, 'Correct the options named in the error; docs/scaling.md lists them.');
  return parsed.data;
}

const setLimitSchema = z.strictObject({
  scope: z.enum(['netsuite_account', 'invoiced_key'], { message: "must be 'netsuite_account' or 'invoiced_key'" }),
  key: z.string({ message: 'must be a string or null' }).regex(ID_PATTERN, 'must be 1 to 200 letters, digits or _ . : -').nullable().optional(),
  runs: z.number({ message: 'must be a whole number from 1 to 100, or null' }).int('must be a whole number from 1 to 100, or null').min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').nullable(),
});

export function parseSetLimit(input: SetLimitInput): FleetLimit | { readonly scope: FleetLimit['scope']; readonly key: string | null; readonly runs: null } {
  const parsed = setLimitSchema.safeParse(input);
  if (!parsed.success) throw invalid('limit', parsed.error, "Pass { scope: 'netsuite_account' | 'invoiced_key', key?, runs } with runs from 1 to 100 (null removes it).");
  return { scope: parsed.data.scope, key: parsed.data.key ?? null, runs: parsed.data.runs };
}
