/**
 * `pnpm bench:realtime`'s command line (its latency profiles are in latency.ts).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { seeded } from '#bench/fleet-analysis';
import { integer, parseCommandLine } from '#bench/flags';

export const DEFAULT_REALTIME_OUT = fileURLToPath(new URL('../results/realtime.json', import.meta.url));

/** The two runs of each profile: clean deliveries, and deliveries lost, repeated and reordered. */
export const VARIANTS = ['clean', 'faults'] as const;
export type Variant = (typeof VARIANTS)[number];

export const REALTIME_USAGE = `Usage: pnpm bench:realtime [options]

With the sandbox sending signed webhooks over real HTTP, records Invoiced payments through the Invoiced
API, one after another, and measures for each the time from the create's answer to the moment its NetSuite
customer payment (invd-pay-<id>) exists, written by the webhook handler -> inbox runner -> targeted run.

Options:
  --profiles <a,b>        Latency profiles (default zero,realistic): zero = none; realistic = NetSuite
                          400 ms ± 100, Invoiced 150 ms ± 50 a request.
  --variants <a,b>        clean (every delivery once) and/or faults (10% dropped, 20% duplicated, 30%
                          held back up to 500 ms; then a scheduled sync catches up). Default both.
  --payments <n>          Payments recorded per run (default 100).
  --interval <min,max>    Wait between two payments, uniform, in ms (default 100,300).
  --burst-every <n>       Every n-th payment starts a burst (default 10; 0: none).
  --burst-size <n>        Payments sent at once in a burst (default 5).
  --invoices <n>          NetSuite invoices in the books (default 500; about half open).
  --time-zone <IANA>      Sets settings.netsuiteTimeZone (the engine then does not ask NetSuite its clock).
  --seed <n>              Seed of the books, the intervals and the faults (default 7).
  --out <file>            JSON results (default bench/results/realtime.json).
  --help                  This text.
`;

const list = <T extends string>(name: string, values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
    .pipe(z.array(z.enum(values, { error: (issue) => `${name}: unknown "${String(issue.input)}" (one of ${values.join(', ')})` })).min(1, `${name}: give at least one`));

const schema = z
  .object({
    profiles: list('--profiles', ['zero', 'realistic']).default(['zero', 'realistic']),
    variants: list('--variants', [...VARIANTS]).default([...VARIANTS]),
    payments: integer('--payments', 1, 10_000).default(100),
    interval: z
      .string()
      .regex(/^\d+,\d+$/, '--interval must be <min>,<max> in ms')
      .transform((value) => value.split(',').map(Number) as [number, number])
      .refine(([min, max]) => min <= max, '--interval: min must not exceed max')
      .default([100, 300]),
    'burst-every': integer('--burst-every', 0, 10_000).default(10),
    'burst-size': integer('--burst-size', 1, 100).default(5),
    invoices: integer('--invoices', 100, 100_000).default(500),
    'time-zone': z.string().min(1).optional(),
    seed: integer('--seed', 0, 2 ** 31 - 1).default(7),
    out: z.string().min(1, '--out must name a file').default(DEFAULT_REALTIME_OUT),
    help: z.boolean().default(false),
  });

export type RealtimeFlags = z.output<typeof schema>;

/** Parses `pnpm bench:realtime`'s arguments; throws `UsageError` naming what is wrong. */
export function parseRealtimeFlags(argv: readonly string[]): RealtimeFlags {
  return parseCommandLine(
    argv,
    {
      profiles: { type: 'string' },
      variants: { type: 'string' },
      payments: { type: 'string' },
      interval: { type: 'string' },
      'burst-every': { type: 'string' },
      'burst-size': { type: 'string' },
      invoices: { type: 'string' },
      'time-zone': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    schema,
  );
}

/** When each payment is sent, in ms from the first: random gaps, and every `burst-every`-th starts a burst. */
export function schedule(flags: Pick<RealtimeFlags, 'payments' | 'interval' | 'burst-every' | 'burst-size' | 'seed'>): number[] {
  const draw = seeded(flags.seed);
  const [min, max] = flags.interval;
  const times: number[] = [];
  let at = 0;
  while (times.length < flags.payments) {
    const burst = flags['burst-every'] > 0 && times.length % flags['burst-every'] === 0 && times.length > 0 ? flags['burst-size'] : 1;
    for (let index = 0; index < burst && times.length < flags.payments; index++) times.push(at);
    at += min + Math.round(draw() * (max - min));
  }
  return times;
}
