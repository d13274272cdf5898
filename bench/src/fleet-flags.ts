/**
 * The fleet bench's command line (`node bench/src/fleet.ts --help`): `node:util` parseArgs for the shape,
 * zod for the values, one message naming what is wrong.
 */
import { durationToMs } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { integer, parseCommandLine } from '#bench/flags';

export const FLEET_USAGE = `Usage: node bench/src/fleet.ts [options]   (pnpm bench:fleet builds what it needs first)

Runs the worker fleet (@invoiced/netsuite-sync-worker) against one sandbox per connection over real HTTP,
on the Postgres of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in fresh schemas
dropped afterwards; kills workers with SIGKILL on a seeded schedule; then runs the same load through the
core's in-process startAutoSync for comparison.

Options:
  --connections <n>   Connections, each with its own sandbox (NetSuite and Invoiced account) (default 1000).
  --workers <n>       Worker processes (default 4).
  --every <duration>  Schedule of every connection: 60s, 2m, 1500ms (default 60s); jitter --jitter.
  --jitter <x>        Spread of the schedule, 0 to 0.5 (default 0.1).
  --rounds <n>        Rounds of --every measured (default 3).
  --kills <n>         Workers killed with SIGKILL during the run, each replaced (default 3).
  --concurrency <n>   Jobs at once per worker (default 8).
  --lease-ms <ms>     The store's lease (settings.leaseTtlMs) of every connection (default 5000).
  --latency <ms>      Delay the sandboxes add to each request (default 10).
  --seed <n>          Seed of the books and of the kill schedule (default 1).
  --no-auto           Skip the in-process startAutoSync comparison.
  --json <file>       Write everything measured as JSON.
  --help              This text.
`;

/** `--every`: a duration from 5 s to 1 h, as the core reads durations (`60s`, `2m`, `1500ms`). */
const duration = (name: string) =>
  z.string().transform((value, context) => {
    const ms = durationToMs(value);
    if (ms === undefined || ms < 5000 || ms > 3_600_000) {
      context.addIssue({ code: 'custom', message: `${name} must be a duration from 5s to 1h, such as 60s or 2m` });
      return z.NEVER;
    }
    return ms;
  });

const flagsSchema = z.object({
  connections: integer('--connections', 1, 20_000).default(1000),
  workers: integer('--workers', 1, 64).default(4),
  every: duration('--every').default(60_000),
  jitter: z.string().regex(/^\d+(\.\d+)?$/, '--jitter must be a number').transform(Number).pipe(z.number().min(0).max(0.5, '--jitter: at most 0.5')).default(0.1),
  rounds: integer('--rounds', 1, 100).default(3),
  kills: integer('--kills', 0, 100).default(3),
  concurrency: integer('--concurrency', 1, 100).default(8),
  'lease-ms': integer('--lease-ms', 1000, 600_000).default(5000),
  latency: integer('--latency', 0, 10_000).default(10),
  seed: integer('--seed', 0, 2 ** 31 - 1).default(1),
  auto: z.boolean().default(true),
  json: z.string().min(1, '--json must name a file').optional(),
  help: z.boolean().default(false),
});

export type FleetFlags = z.output<typeof flagsSchema>;

/** Parses the fleet bench's arguments; throws `UsageError` naming what is wrong. */
export function parseFleetFlags(argv: readonly string[]): FleetFlags {
  return parseCommandLine(
    argv,
    {
      connections: { type: 'string' },
      workers: { type: 'string' },
      every: { type: 'string' },
      jitter: { type: 'string' },
      rounds: { type: 'string' },
      kills: { type: 'string' },
      concurrency: { type: 'string' },
      'lease-ms': { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      auto: { type: 'boolean' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
    flagsSchema,
  );
}
