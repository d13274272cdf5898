/**
 * The scenario child runs as JavaScript, so that Node's type stripper is not in the RSS reported as the
 * engine's. Run with `node --test bench/src/child-script.test.ts`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { childScript, toJavaScript } from '#bench/child-script';

void describe('the scenario child as JavaScript', () => {
  void it('strips the types of a source and points its #bench imports at the stripped files', () => {
    const source = [
      "import { Meter, type Sample } from '#bench/meter';",
      "import type { ChildConfig } from '#bench/protocol';",
      "import { once } from 'node:events';",
      'export const limit: number = 5;',
      'export function first(samples: Sample[], config: ChildConfig): Sample | undefined { return samples[0]; }',
    ].join('\n');
    const script = toJavaScript(source);
    assert.match(script, /from '\.\/meter\.js'/);
    assert.doesNotMatch(script, /#bench|protocol|: number|Sample\[\]/);
    assert.match(script, /from 'node:events'/);
  });

  void it('writes every source, and the child it returns loads in a process that never strips a type', () => {
    const child = childScript();
    assert.ok(existsSync(child));
    const loaded = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `process.send = () => true; await import(${JSON.stringify(child)}); console.log(JSON.stringify(process.moduleLoadList.filter((name) => name.includes('amaro'))));`,
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.deepEqual(JSON.parse(loaded.trim().split('\n').at(-1) ?? 'null'), []);
  });
});
