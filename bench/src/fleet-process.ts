/**
 * What every child of the fleet bench shares: a `pg` Pool whose statements are counted by the schema
 * they touch (the text of each statement names its schema: the store's, the registry's or pg-boss's),
 * and this process's memory: RSS now, the kernel's high-water mark since start (VmHWM, reset at start
 * through /proc/self/clear_refs, since a forked child inherits its parent's), and `resourceUsage().maxRSS`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import type { Memory, Statements } from '#bench/fleet-protocol';

const MB = 1024 * 1024;

function vmHwmMb(): number | null {
  try {
    const kilobytes = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) / 1024;
  } catch {
    return null;
  }
}

/** Resets the high-water mark (Linux); call once at start. */
export function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: maxRSS and the RSS samples are what there is.
  }
}

export function memoryNow(): Memory {
  return { rssMb: process.memoryUsage.rss() / MB, hwmMb: vmHwmMb(), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Counts every statement sent through `pg` in this process, by the schema it names. */
export function countStatements(schemas: { store: string; registry?: string; boss?: string }): () => Statements {
  const counts: Statements = { store: 0, registry: 0, boss: 0, control: 0, other: 0 };
  const classify = (text: string): keyof Statements => {
    if (/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(text)) return 'control';
    if (schemas.registry !== undefined && text.includes(schemas.registry)) return 'registry';
    if (schemas.boss !== undefined && text.includes(schemas.boss)) return 'boss';
    if (text.includes(schemas.store)) return 'store';
    return 'other';
  };
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function counted(this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'text' in first ? String(first.text) : '';
    counts[classify(text)] += 1;
    return original.apply(this, args);
  };
  return () => ({ ...counts });
}

export function openPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, application_name: 'netsuite-sync-fleet-bench' });
  pool.on('error', () => undefined); // a connection dropped by the server is replaced on the next query
  return pool;
}

/** Sends `message` to the parent; ignored once the channel is closed. */
export function tell(message: unknown): void {
  if (process.connected) process.send?.(message);
}
