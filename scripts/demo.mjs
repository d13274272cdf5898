/**
 * `pnpm demo`: builds what `netsuite-sync demo` runs, only when its sources changed, then runs it.
 *
 * What it builds is the CLI and the workspace packages it depends on (read from the package.json files).
 * A package is rebuilt when a file under its `src/` (tests excepted), its package.json or its tsup config
 * is newer than one of the files the demo runs from its `dist/`. The build is tsup's, without type
 * declarations (`pnpm build` makes those): a few seconds, against most of a minute with them. Its log is
 * kept and printed only when the build fails. Arguments go to `netsuite-sync demo`:
 * `pnpm demo --customers 50 --invoices 400 --payments 150 --seed 3`.
 *
 * `node scripts/demo.mjs --build-only` builds (when needed) and stops: the printed commands that start the
 * sandbox and run the CLI against it need the same files.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = '@invoiced/netsuite-sync-cli';

/** Workspace packages by name: their directory and manifest. */
function workspacePackages() {
  const packages = new Map();
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const manifestPath = join(root, 'packages', entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    packages.set(manifest.name, { dir: join(root, 'packages', entry.name), manifest });
  }
  return packages;
}

/** `name` and the workspace packages it depends on at run time, transitively. */
function dependencyChain(packages, name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { manifest } = packages.get(name);
  const runtime = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const dependency of Object.keys(runtime)) if (packages.has(dependency)) dependencyChain(packages, dependency, seen);
  return seen;
}

/** The newest modification time (ms) of the files under `dir`, tests excepted. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.[cm]?tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether a package's built files the demo runs are missing or older than its sources. */
function isStale({ dir, manifest }) {
  const outputs = [join(dir, 'dist', 'index.js'), ...Object.values(manifest.bin ?? {}).map((bin) => join(dir, bin))];
  const inputs = [join(dir, 'package.json'), join(dir, 'tsup.config.ts')].filter((file) => existsSync(file));
  const newestInput = Math.max(newestSource(join(dir, 'src')), ...inputs.map((file) => statSync(file).mtimeMs));
  return outputs.some((file) => !existsSync(file) || statSync(file).mtimeMs < newestInput);
}

/**
 * Runs tsup in each of `dirs`, one after the other, without declarations. Each build is told its directory:
 * esbuild otherwise resolves entries from the directory the process started in.
 */
async function buildHere(dirs) {
  const { build } = await import('tsup');
  for (const dir of dirs) {
    process.chdir(dir);
    await build({
      dts: false,
      esbuildOptions(options) {
        options.absWorkingDir = dir;
      },
    });
  }
}

/** Builds `dirs` in a child process; resolves to its log, and whether it succeeded. */
function buildQuietly(dirs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--build-here', ...dirs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = [];
    child.stdout.on('data', (chunk) => log.push(chunk));
    child.stderr.on('data', (chunk) => log.push(chunk));
    child.on('close', (code) => resolvePromise({ ok: code === 0, log: Buffer.concat(log).toString('utf8') }));
  });
}

const args = process.argv.slice(2);
if (args[0] === '--build-here') {
  await buildHere(args.slice(1));
} else {
  const packages = workspacePackages();
  const stale = [...dependencyChain(packages, CLI)].map((name) => packages.get(name)).filter(isStale);
  if (stale.length > 0) {
    const started = performance.now();
    process.stdout.write(`Building the CLI and the ${stale.length === 1 ? 'package' : 'packages'} it uses (${stale.length}; only when their sources changed)…`);
    const { ok, log } = await buildQuietly(stale.map(({ dir }) => dir));
    if (!ok) {
      process.stdout.write(' failed:\n');
      process.stderr.write(log);
      process.exit(1);
    }
    process.stdout.write(` done in ${((performance.now() - started) / 1000).toFixed(1)} s.\n\n`);
  }
  if (args[0] !== '--build-only') {
    const child = spawn(process.execPath, [join(root, 'packages', 'cli', 'dist', 'bin.js'), 'demo', ...args], { stdio: 'inherit' });
    // Ctrl+C reaches the demo directly (same process group): it stops at a safe point, and this waits.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  }
}
