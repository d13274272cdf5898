/**
 * The bench's command line: `node:util` parseArgs for the shape, zod for the values, and one clear
 * message (with the usage) for anything wrong.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TARGETS } from '#bench/bounds';
import { fixedProfile, latencyText, PROFILE_NAMES, PROFILES, type LatencyProfile } from '#bench/latency';
import { ENGINE_SCENARIOS, STORE_NAMES, type EngineScenario } from '#bench/protocol';

export const DEFAULT_OUT = fileURLToPath(new URL('../results/latest.json', import.meta.url));

export const USAGE = `Usage: pnpm bench [options]

Runs the sync engine against the sandbox over real HTTP (NetSuite: 5 requests in flight, Invoiced: 20,
each request delayed by the latency profile's), on generated books of each size, and prints and writes
what each scenario cost against its lower bounds.

Options:
  --sizes <n,n,...>       Invoices in the books, comma-separated (default 1000,10000; 100000 works, slowly).
                          Each book also has n/10 customers, n/2 payments (5% also applying credit memos),
                          n/100 credit memos and n/200 customer refunds in NetSuite, and n/100 customers,
                          n/20 invoices, n/40 payments (at least 10, 20, 10; 30% processed through Invoiced),
                          a credit note per 10 invoices and a refund per 10 processed payments on Invoiced.
  --profile <name>        Latency the sandbox adds to every request (default 20ms):
                            20ms       ${latencyText(PROFILES['20ms'].netsuite)} on both services (the CPU-bound check)
                            realistic  NetSuite ${latencyText(PROFILES.realistic.netsuite)}, Invoiced ${latencyText(PROFILES.realistic.invoiced)}, uniform (assumed figures)
                            zero       none (the machine's own costs only)
                          The JSON records it (limits.latency); the time target is wall <= ${TARGETS.timeRatio.fixed} x the
                          whole-sync lower bound, ${TARGETS.timeRatio.realistic} x with realistic.
  --latency <ms>          A fixed custom latency on both services instead (a profile named <ms>ms);
                          not with --profile.
  --scenarios <a,b,...>   Engine scenarios to run (default all): ${ENGINE_SCENARIOS.join(', ')}.
                          unchanged-after-first, unchanged-steady and changed-1pct need first-sync;
                          import-invoices needs import-customers.
  --store <memory|sqlite> The store each scenario's engine runs over (default memory): memory keeps the
                          links on the JavaScript heap; sqlite (@invoiced/netsuite-sync-store-sqlite) keeps
                          them off it, in a new SQLite file per scenario in the system's temporary folder
                          (deleted after), to compare the engine's peak RSS with a store on disk.
                          The baseline uses no store.
  --child-memory <MB>     Runs each scenario's child in a Linux memory cgroup limited to <MB> megabytes, as in a
                          container with that much memory, with Node's default flags: Node sizes V8's heap
                          (its young generation included) from that limit instead of the machine's memory.
                          Needs a cgroup hierarchy this user may write (v1 or v2); the JSON records it
                          (limits.childMemoryMb).
  --no-baseline           Skip the naive baseline.
  --baseline-max <n>      The baseline processes at most n open invoices and extrapolates the rest (default 10000).
  --gap-minutes <m>       Simulated time between two scheduled syncs (default 60, auto-sync's default).
  --seed <n>              Seed of the generated books (default 7).
  --out <file>            JSON results (default bench/results/latest.json).
  --help                  This text.
`;

/** A bad command line: the message says what and why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const integerList = (name: string, min: number, max: number) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
    .pipe(
      z
        .array(z.string().regex(/^\d+$/, `${name}: each entry must be a whole number`).transform(Number).pipe(z.number().int().min(min, `${name}: at least ${min}`).max(max, `${name}: at most ${max}`)))
        .min(1, `${name}: give at least one`),
    );

/** A whole number from `min` to `max`, named in its message. */
export const integer = (name: string, min: number, max: number) =>
  z.string().regex(/^\d+$/, `${name} must be a whole number`).transform(Number).pipe(z.number().int().min(min, `${name}: at least ${min}`).max(max, `${name}: at most ${max}`));

const flagsSchema = z
  .object({
    sizes: integerList('--sizes', 100, 1_000_000).default([1000, 10_000]),
    profile: z.enum(PROFILE_NAMES, { error: (issue) => `--profile: unknown profile "${String(issue.input)}" (one of ${PROFILE_NAMES.join(', ')})` }).optional(),
    latency: integer('--latency', 0, 10_000).optional(),
    scenarios: z
      .string()
      .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
      .pipe(z.array(z.enum(ENGINE_SCENARIOS, { error: (issue) => `--scenarios: unknown scenario "${String(issue.input)}" (one of ${ENGINE_SCENARIOS.join(', ')})` })))
      .default([...ENGINE_SCENARIOS]),
    store: z.enum(STORE_NAMES, { error: (issue) => `--store: unknown store "${String(issue.input)}" (one of ${STORE_NAMES.join(', ')})` }).default('memory'),
    'child-memory': integer('--child-memory', 128, 1_048_576).optional(),
    baseline: z.boolean().default(true),
    'baseline-max': integer('--baseline-max', 1, 10_000_000).default(10_000),
    'gap-minutes': integer('--gap-minutes', 0, 10_080).default(60),
    seed: integer('--seed', 0, 2 ** 31 - 1).default(7),
    out: z.string().min(1, '--out must name a file').default(DEFAULT_OUT),
    help: z.boolean().default(false),
  })
  .superRefine((flags, context) => {
    const chosen = new Set<EngineScenario>(flags.scenarios);
    for (const needs of ['unchanged-after-first', 'unchanged-steady', 'changed-1pct'] as const) {
      if (chosen.has(needs) && !chosen.has('first-sync')) context.addIssue({ code: 'custom', path: ['scenarios'], message: `--scenarios: ${needs} needs first-sync` });
    }
    if (chosen.has('import-invoices') && !chosen.has('import-customers')) {
      context.addIssue({ code: 'custom', path: ['scenarios'], message: '--scenarios: import-invoices needs import-customers' });
    }
    if (flags.profile !== undefined && flags.latency !== undefined) {
      context.addIssue({ code: 'custom', path: ['latency'], message: '--profile and --latency: give one or the other (--latency <ms> is a fixed custom profile)' });
    }
  })
  .transform(({ profile, latency, ...flags }) => ({ ...flags, profile: latencyProfileOf(profile, latency) }));

/** The profile the flags name: `--latency <ms>` a fixed one of its own, else `--profile` (default `20ms`). */
function latencyProfileOf(name: (typeof PROFILE_NAMES)[number] | undefined, latency: number | undefined): LatencyProfile {
  return latency === undefined ? PROFILES[name ?? '20ms'] : fixedProfile(latency);
}

export type Flags = z.output<typeof flagsSchema>;

/**
 * Parses a bench program's arguments with `node:util` parseArgs (its `options`) and checks their values
 * with `schema`; throws {@link UsageError} naming what is wrong.
 */
export function parseCommandLine<T>(argv: readonly string[], options: ParseArgsOptionsConfig, schema: z.ZodType<T>): T {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], allowNegative: true, strict: true, allowPositionals: false, options }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  return parsed.data;
}

/** Parses the bench's arguments; throws {@link UsageError} naming what is wrong. */
export function parseFlags(argv: readonly string[]): Flags {
  return parseCommandLine(
    argv,
    {
      sizes: { type: 'string' },
      profile: { type: 'string' },
      latency: { type: 'string' },
      scenarios: { type: 'string' },
      store: { type: 'string' },
      'child-memory': { type: 'string' },
      baseline: { type: 'boolean' },
      'baseline-max': { type: 'string' },
      'gap-minutes': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    flagsSchema,
  );
}
