/**
 * How heavy the CLI's stores are to open: the built CLI (`packages/cli/dist/bin.js`) run as a user runs it,
 * one child process per measurement, each reporting its wall time and peak RSS.
 *
 *   pnpm --filter "@invoiced/netsuite-sync-cli..." run build
 *   node bench/src/cli-store.ts                       # `runs` on sqlite and pglite, 3 times each
 *   node bench/src/cli-store.ts --repeat 5 --stores sqlite,pglite,memory --demo
 *
 * For each store: `netsuite-sync runs` in a new empty folder (the store is created), then again in the same
 * folder (the store exists). `--demo` also runs `netsuite-sync demo` (300 customers, 3,000 invoices,
 * 1,500 payments, synced from and to the sandbox in the same process) with its state in each store.
 * Peak RSS is the child's own `process.resourceUsage().maxRSS`, written when it exits by a module the
 * child loads first (`--import`); PGlite runs inside the process, so its memory is counted.
 * Targets: `runs` in a new folder under 0.5 s and 150 MB; a demo on SQLite under 300 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const STORES: Record<string, (folder: string) => string[]> = {
  sqlite: () => [], // the default store
  pglite: () => ['--store', 'pglite'],
  memory: () => ['--store', 'memory'],
};

interface Measure {
  readonly seconds: number;
  readonly peakMb: number;
  readonly code: number | null;
}

async function measure(probe: string, args: readonly string[], cwd: string): Promise<Measure> {
  const out = join(cwd, '..', `rss-${String(Date.now())}-${String(Math.random()).slice(2)}.txt`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', pathToFileURL(probe).href, BIN, ...args], {
    cwd,
    env: { ...process.env, NETSUITE_SYNC_RSS_OUT: out, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const kilobytes = Number(await readFile(out, 'utf8'));
  await rm(out, { force: true });
  if (code !== 0) process.stderr.write(`netsuite-sync ${args.join(' ')} exited ${String(code)}: ${stderr.slice(0, 500)}\n`);
  else if (stderr.trim() !== '') process.stderr.write(`netsuite-sync ${args.join(' ')} wrote to stderr: ${stderr.slice(0, 500)}\n`);
  return { seconds, peakMb: kilobytes / 1024, code };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function row(label: string, measures: readonly Measure[]): string {
  const seconds = measures.map((m) => m.seconds);
  const peaks = measures.map((m) => m.peakMb);
  const failed = measures.filter((m) => m.code !== 0).length;
  return `${label.padEnd(34)} ${median(seconds).toFixed(2).padStart(7)} s (max ${Math.max(...seconds).toFixed(2)})  ${median(peaks).toFixed(0).padStart(5)} MB (max ${Math.max(...peaks).toFixed(0)})${failed > 0 ? `  ${String(failed)} failed` : ''}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { repeat: { type: 'string', default: '3' }, stores: { type: 'string', default: 'sqlite,pglite' }, demo: { type: 'boolean', default: false } },
  });
  const repeat = Number(values.repeat);
  const stores = values.stores.split(',');
  const root = await mkdtemp(join(tmpdir(), 'netsuite-sync-cli-store-'));
  const probe = join(root, 'rss-probe.mjs');
  await writeFile(
    probe,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const out = process.env.NETSUITE_SYNC_RSS_OUT; if (out) writeFileSync(out, String(process.resourceUsage().maxRSS)); });\n",
  );
  process.stdout.write(`Node.js ${process.version}, ${String(cpus().length)} cores, load ${loadavg().map((load) => load.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`${'command'.padEnd(34)} ${'median wall'.padStart(9)}        median peak RSS\n`);
  try {
    for (const store of stores) {
      const extra = STORES[store];
      if (extra === undefined) throw new Error(`Unknown store ${store}: use ${Object.keys(STORES).join(', ')}.`);
      const fresh: Measure[] = [];
      const existing: Measure[] = [];
      for (let index = 0; index < repeat; index += 1) {
        const folder = await mkdtemp(join(root, `${store}-`));
        fresh.push(await measure(probe, ['runs', ...extra(folder)], folder));
        existing.push(await measure(probe, ['runs', ...extra(folder)], folder));
        await rm(folder, { recursive: true, force: true });
      }
      process.stdout.write(`${row(`runs, ${store}, new folder`, fresh)}\n${row(`runs, ${store}, store exists`, existing)}\n`);
      if (values.demo) {
        const folder = await mkdtemp(join(root, `${store}-demo-`));
        const demoStore = store === 'sqlite' ? ['--store', 'sqlite'] : extra(folder);
        process.stdout.write(`${row(`demo (3,000 invoices), ${store}`, [await measure(probe, ['demo', ...demoStore, '--no-progress'], folder)])}\n`);
        await rm(folder, { recursive: true, force: true });
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
