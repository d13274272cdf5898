/**
 * `pnpm demo`: builds what `netsuite-sync demo` runs, only when its sources changed, then runs it.
 *
 * What it builds is the CLI and the workspace packages it depends on (read from the package.json files).
 * A package is rebuilt when a file under its `src/` (tests excepted), its package.json or its tsup config
 * is newer than one of the files the demo runs from its `dist/`. The build is esbuild's, ES modules only
 * and all packages at once: about a second, where `pnpm build` (tsup, with CommonJS and type
 * declarations) takes most of a minute. Its errors are printed only when it fails. Arguments go to
 * `netsuite-sync demo`: `pnpm demo --customers 50 --invoices 400 --payments 150 --seed 3`.
 *
 * `node scripts/demo.mjs --build-only` builds (when needed) and stops: the commands the demo prints last,
 * which start the sandbox and run the CLI against it, run the same files.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** esbuild, from tsup's own dependencies (the root has tsup, which builds with it). */
async function loadEsbuild() {
  const require = createRequire(fileURLToPath(import.meta.resolve('tsup')));
  return import(pathToFileURL(require.resolve('esbuild')).href);
}

/**
 * The ES module entries of a package, as `pnpm build` (tsup) makes them: `src/index.ts` and
 * `src/testing.ts` when there is one, and each `bin` of package.json from the `src/` file of its name.
 */
function entriesOf({ dir, manifest }) {
  const library = ['index', 'testing'].filter((name) => existsSync(join(dir, 'src', `${name}.ts`)));
  const bins = Object.values(manifest.bin ?? {}).map((bin) => basename(bin, '.js'));
  return { library, bins };
}

/**
 * Builds the ES modules of `packages` into their `dist/` with esbuild, all at once: the same bundles as
 * `pnpm build` for the files the demo runs, without CommonJS or type declarations (`pnpm build` makes
 * the whole of `dist/`). Dependencies stay external, as with tsup. Resolves to the errors, if any.
 */
async function buildPackages(packages) {
  const esbuild = await loadEsbuild();
  const common = { bundle: true, format: 'esm', platform: 'node', target: 'node22', packages: 'external', sourcemap: true, logLevel: 'silent' };
  const builds = packages.flatMap((pkg) => {
    const { library, bins } = entriesOf(pkg);
    // Named, not only `packages: 'external'`: the root tsconfig maps the workspace packages to their
    // sources, and a second copy of the core bundled in would break `instanceof` on its errors.
    const external = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies });
    rmSync(join(pkg.dir, 'dist'), { recursive: true, force: true });
    const outdir = join(pkg.dir, 'dist');
    return [
      esbuild.build({ ...common, absWorkingDir: pkg.dir, external, entryPoints: library.map((name) => `src/${name}.ts`), outdir, splitting: library.length > 1 }),
      ...bins.map((name) => esbuild.build({ ...common, absWorkingDir: pkg.dir, external, entryPoints: [`src/${name}.ts`], outdir, banner: { js: '#!/usr/bin/env node' } })),
    ];
  });
  const results = await Promise.allSettled(builds);
  const failures = results.filter((result) => result.status === 'rejected').map((result) => String(result.reason?.message ?? result.reason));
  for (const pkg of packages) for (const name of entriesOf(pkg).bins) if (existsSync(join(pkg.dir, 'dist', `${name}.js`))) chmodSync(join(pkg.dir, 'dist', `${name}.js`), 0o755);
  return failures;
}

// `pnpm demo -- --seed 3` passes the `--` on: the demo's options follow it.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
const packages = workspacePackages();
const stale = [...dependencyChain(packages, CLI)].map((name) => packages.get(name)).filter(isStale);
if (stale.length > 0) {
  const started = performance.now();
  const names = stale.map(({ manifest }) => manifest.name.replace('@invoiced/', '')).join(', ');
  process.stdout.write(`Building what the demo runs, whose sources changed since the last build (${names})…`);
  const failures = await buildPackages(stale);
  if (failures.length > 0) {
    process.stdout.write(' failed:\n');
    process.stderr.write(`${failures.join('\n')}\n`);
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
