/**
 * What the fleet bench's processes tell each other: the connections' sandbox accounts (a JSON file the
 * sandbox host writes and the workers read), the configs the parent sends its children, and the messages
 * the children send back over IPC. Everything read from a file or a message is parsed with zod.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The NetSuite account of connection `index`, and its ID. */
export const netsuiteAccountOf = (index: number): string => `${String(1_000_000 + index)}_SB1`;
export const connectionIdOf = (index: number): string => `c${String(index).padStart(5, '0')}`;

/** One connection's own sandbox: its NetSuite account and Invoiced account, served over loopback HTTP. */
export const accountSchema = z.object({
  id: z.string(),
  netsuiteAccount: z.string(),
  netsuiteUrl: z.url(),
  invoicedUrl: z.url(),
  credentials: z.object({ consumerKey: z.string(), consumerSecret: z.string(), tokenId: z.string(), tokenSecret: z.string() }),
  apiKey: z.string(),
  settings: z.record(z.string(), z.unknown()),
});
export type Account = z.output<typeof accountSchema>;

export function readAccounts(file: string): Account[] {
  return z.array(accountSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The schemas of one run. */
export const locationSchema = z.object({ schema: z.string(), bossSchema: z.string(), store: z.object({ schema: z.string() }) });
export type Location = z.output<typeof locationSchema>;

export const workerConfigSchema = z.object({
  databaseUrl: z.string(),
  location: locationSchema,
  accountsFile: z.string(),
  workerId: z.string(),
  concurrency: z.number().int(),
  poolMax: z.number().int(),
});
export type WorkerConfig = z.output<typeof workerConfigSchema>;

export const autoConfigSchema = z.object({
  databaseUrl: z.string(),
  storeSchema: z.string(),
  accountsFile: z.string(),
  everyMs: z.number().int(),
  jitter: z.number(),
  durationMs: z.number().int(),
  poolMax: z.number().int(),
});
export type AutoConfig = z.output<typeof autoConfigSchema>;

export const hostConfigSchema = z.object({ connections: z.number().int(), seed: z.number().int(), latencyMs: z.number().int(), accountsFile: z.string() });
export type HostConfig = z.output<typeof hostConfigSchema>;

/** Statements a process sent, by what they touch (the schema named in their text). */
export const statementsSchema = z.object({ store: z.number(), registry: z.number(), boss: z.number(), control: z.number(), other: z.number() });
export type Statements = z.output<typeof statementsSchema>;

const memorySchema = z.object({ rssMb: z.number(), hwmMb: z.number().nullable(), maxRssMb: z.number() });
export type Memory = z.output<typeof memorySchema>;

/** One job's end as a worker reports it (onJob), times in epoch ms. */
export const jobEndSchema = z.object({
  connectionId: z.string(),
  jobId: z.string(),
  kind: z.string(),
  workerId: z.string(),
  status: z.string(),
  runId: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number(),
  lagMs: z.number().nullable(),
});
export type JobEnd = z.output<typeof jobEndSchema>;

export const workerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), workerId: z.string(), at: z.number() }),
  z.object({ type: z.literal('job'), end: jobEndSchema }),
  z.object({
    type: z.literal('stats'),
    workerId: z.string(),
    memory: memorySchema,
    statements: statementsSchema,
    running: z.array(z.object({ connectionId: z.string(), jobId: z.string() })),
  }),
  z.object({ type: z.literal('stopped'), workerId: z.string(), drainMs: z.number(), runningAtStop: z.number() }),
]);
export type WorkerMessage = z.output<typeof workerMessageSchema>;

/** One scheduled run of the in-process auto-sync: when it was due and when it ran. */
export const autoRunSchema = z.object({ connectionId: z.string(), type: z.string(), status: z.string(), dueAt: z.number(), startedAt: z.number(), finishedAt: z.number() });
export type AutoRun = z.output<typeof autoRunSchema>;

export const autoMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), at: z.number(), registeredAt: z.number() }),
  z.object({ type: z.literal('run'), run: autoRunSchema }),
  z.object({ type: z.literal('done'), memory: memorySchema, statements: statementsSchema, stopMs: z.number() }),
]);
export type AutoMessage = z.output<typeof autoMessageSchema>;

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), startMs: z.number(), rssMb: z.number() }),
  z.object({ type: z.literal('closed'), requests: z.object({ netsuite: z.number(), invoiced: z.number(), refused: z.number() }), rssMb: z.number() }),
]);
export type HostMessage = z.output<typeof hostMessageSchema>;
