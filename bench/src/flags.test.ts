/**
 * The bench's --store flag: which SyncStore each scenario's child runs the engine over. Run with
 * `node --test bench/src/flags.test.ts` (the bench has no vitest project).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFlags, USAGE, UsageError } from '#bench/flags';

void describe('--store', () => {
  void it('defaults to the memory store', () => {
    assert.equal(parseFlags([]).store, 'memory');
  });

  void it('takes memory or sqlite', () => {
    assert.equal(parseFlags(['--store', 'memory']).store, 'memory');
    assert.equal(parseFlags(['--store', 'sqlite']).store, 'sqlite');
  });

  void it('refuses any other store, naming the ones it takes', () => {
    assert.throws(
      () => parseFlags(['--store', 'postgres']),
      (error: unknown) => error instanceof UsageError && /--store: unknown store "postgres" \(one of memory, sqlite\)/.test(error.message),
    );
    assert.throws(() => parseFlags(['--store']), UsageError);
  });

  void it('is in the usage', () => {
    assert.match(USAGE, /--store <memory\|sqlite>/);
  });
});
