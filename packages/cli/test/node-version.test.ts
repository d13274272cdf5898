/**
 * On a Node.js older than the CLI needs, `netsuite-sync` says which version it found and which it needs,
 * with the configuration exit code, before loading anything that needs a newer Node.js.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { EXIT_CODES } from '../src/exit-codes';
import { MINIMUM_NODE_VERSION, nodeVersionProblem, UNSUPPORTED_NODE_EXIT_CODE } from '../src/node-version';

/** The machine's own Node.js, older than the CLI needs, when there is one. */
const SYSTEM_NODE = '/usr/bin/node';
const systemNodeVersion = existsSync(SYSTEM_NODE) ? execFileSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).trim() : undefined;
const oldSystemNode = systemNodeVersion !== undefined && nodeVersionProblem(systemNodeVersion) !== undefined;

describe('the Node.js version', () => {
  it('names the version found and the one needed for an older Node.js', () => {
    expect(nodeVersionProblem('20.11.1')).toContain(`netsuite-sync needs Node.js ${MINIMUM_NODE_VERSION} or later; this is Node.js 20.11.1.`);
    expect(nodeVersionProblem('v22.12.0')).toContain('this is Node.js 22.12.0');
    for (const version of ['22.13.0', '22.20.1', '23.0.0', '24.21.0', process.versions.node]) expect(nodeVersionProblem(version)).toBeUndefined();
  });

  it('is the one of package.json engines, and ends with the configuration exit code', () => {
    expect(packageJson.engines.node).toBe(`>=${MINIMUM_NODE_VERSION.replace(/\.0$/, '')}`);
    expect(UNSUPPORTED_NODE_EXIT_CODE).toBe(EXIT_CODES.usage);
  });

  it.skipIf(!oldSystemNode)('bin.ts stops on the machine\'s old Node.js before loading the command', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netsuite-sync-node-'));
    try {
      // bin.ts and node-version.ts as JavaScript; main.mjs is left out: loading it would fail differently.
      for (const [source, target] of [['bin.ts', 'bin.mjs'], ['node-version.ts', 'node-version.mjs']] as const) {
        const code = stripTypeScriptTypes(await readFile(join(import.meta.dirname, '..', 'src', source), 'utf8'));
        await writeFile(join(dir, target), code.replace("'./node-version'", "'./node-version.mjs'").replace("'./main'", "'./main.mjs'"));
      }
      const result = spawnSync(SYSTEM_NODE, [join(dir, 'bin.mjs'), 'runs'], { encoding: 'utf8' });
      expect(result.stderr).toContain(`netsuite-sync needs Node.js ${MINIMUM_NODE_VERSION} or later; this is Node.js ${systemNodeVersion?.replace(/^v/, '')}.`);
      expect(result.stderr).not.toContain('main.mjs');
      expect(result.status).toBe(EXIT_CODES.usage);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
