/**
 * `netsuite-sync connections limits` and `connections limit`: the fleet-wide limits every worker reads
 * from the registry (`fleet.setLimit()` / `listLimits()`), per NetSuite account or Invoiced key, or for
 * every one of a kind.
 */
import type { Fleet, FleetLimit } from '@invoiced/netsuite-sync-worker';
import { stringOption, type OptionValues } from '../command';
import { CliUsageError } from '../errors';

const SCOPES = { 'netsuite-account': 'netsuite_account', 'invoiced-key': 'invoiced_key' } as const;
type ScopeWord = keyof typeof SCOPES;

/** What `connections limit` sets. */
export interface LimitRequest {
  readonly scope: FleetLimit['scope'];
  readonly key: string | null;
  readonly runs: number | null;
}

const usage = (message: string): CliUsageError => new CliUsageError(message, 'connections');

/** `limit <netsuite-account|invoiced-key> [<key>] (--runs <n> | --remove)`, checked. */
export function parseLimitRequest(positionals: readonly string[], values: OptionValues): LimitRequest {
  const [, word, key] = positionals;
  if (word === undefined || !(word in SCOPES)) {
    throw usage(`\`connections limit\` needs netsuite-account or invoiced-key${word === undefined ? '' : `, got "${word}"`}: netsuite-sync connections limit netsuite-account [<account ID>] --runs <n>.`);
  }
  const runsText = stringOption(values, 'runs');
  const remove = values.remove === true;
  if ((runsText === undefined) === !remove) throw usage('`connections limit` needs --runs <n> (1 to 100) or --remove, not both.');
  let runs: number | null = null;
  if (runsText !== undefined) {
    runs = Number(runsText);
    if (!/^\d+$/.test(runsText.trim()) || runs < 1 || runs > 100) throw usage(`--runs must be a whole number from 1 to 100, got "${runsText}".`);
  }
  return { scope: SCOPES[word as ScopeWord], key: key ?? null, runs };
}

const scopeWord = (scope: FleetLimit['scope']): string => (scope === 'netsuite_account' ? 'NetSuite account' : 'Invoiced key');

/** Sets or removes one limit; resolves the line that says what changed. */
export async function setLimitLine(fleet: Fleet, request: LimitRequest): Promise<string> {
  await fleet.setLimit(request);
  const which = request.key === null ? `every ${scopeWord(request.scope)} without a limit of its own` : `${scopeWord(request.scope)} ${request.key}`;
  return request.runs === null
    ? `Removed the limit of ${which}: workers use the next one (the kind's, then their own: 1 run per NetSuite account, 2 per Invoiced key, by default).`
    : `${which[0]?.toUpperCase() ?? ''}${which.slice(1)}: at most ${request.runs} run${request.runs === 1 ? '' : 's'} at once across the fleet, for jobs that start from now.`;
}

/** The limits as lines: a table, or what holds without any. */
export function limitLines(limits: readonly FleetLimit[]): string[] {
  if (limits.length === 0) {
    return ['No limits in the registry: each worker uses its own (1 run at once per NetSuite account, 2 per Invoiced key, by default).'];
  }
  const rows = limits.map((limit) => [scopeWord(limit.scope), limit.key ?? '(every one without its own)', String(limit.runs)]);
  const widths = [0, 1].map((column) => Math.max(...[['KIND', 'ACCOUNT OR KEY'][column] ?? '', ...rows.map((row) => row[column] ?? '')].map((cell) => cell.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ');
  return [line(['KIND', 'ACCOUNT OR KEY', 'RUNS AT ONCE']), ...rows.map(line)];
}
