import { describe, expect, it } from 'vitest';
import { SyncInProgressError } from '../engine/errors';
import { ConfigurationError } from '../errors';
import type { SyncRun } from '../store/sync-store';
import { createInboxRunner, type InboxEngine } from './inbox-runner';

const run = (id: string, status: SyncRun['status'] = 'succeeded'): SyncRun =>
  ({ id, trigger: 'webhook', status, startedAt: '2026-12-05T00:00:00.000Z', finishedAt: '2026-12-05T00:00:01.000Z', counts: {}, error: null, recordErrors: [] }) as unknown as SyncRun;

/** An engine whose inbox holds `pending` batches; each syncPending takes one, and waits for `gate` when given. */
function engineWith(batches: number, behaviour: { busyFirst?: number; gate?: () => Promise<void>; failFirst?: number } = {}) {
  let pending = batches;
  let busy = behaviour.busyFirst ?? 0;
  let fail = behaviour.failFirst ?? 0;
  const calls: string[] = [];
  const engine: InboxEngine = {
    connectionId: 'c',
    async syncPending() {
      if (busy > 0) {
        busy -= 1;
        calls.push('busy');
        throw new SyncInProgressError('c');
      }
      if (fail > 0) {
        fail -= 1;
        calls.push('failed');
        return run('f', 'failed');
      }
      await behaviour.gate?.();
      if (pending === 0) {
        calls.push('none');
        return null;
      }
      pending -= 1;
      calls.push('run');
      return run(String(calls.length));
    },
  };
  return { engine, calls, add: (n: number) => (pending += n) };
}

describe('createInboxRunner', () => {
  it('runs until the inbox is empty, and a burst of notifications during a run costs one more pass', async () => {
    let open: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (open = resolve));
    const world = engineWith(1, { gate: () => gate });
    const runs: SyncRun[] = [];
    const runner = createInboxRunner(world.engine, { onRun: (r) => runs.push(r) });
    runner.notify();
    world.add(3);
    for (let i = 0; i < 10; i += 1) runner.notify();
    open();
    gate = Promise.resolve();
    await runner.idle();
    expect(world.calls).toEqual(['run', 'run', 'run', 'run', 'none']);
    expect(runs).toHaveLength(4);
  });

  it('tries again after busyRetryMs while a sync holds the connection, and backs off after a failed run', async () => {
    const world = engineWith(1, { busyFirst: 2, failFirst: 1 });
    const runner = createInboxRunner(world.engine, { busyRetryMs: 5, failureRetryMs: 5 });
    runner.notify();
    await runner.idle();
    expect(world.calls).toEqual(['busy', 'busy', 'failed', 'run', 'none']);
  });

  it('close() stops the retries, and a listener that throws changes nothing', async () => {
    const world = engineWith(1, { busyFirst: 100 });
    const runner = createInboxRunner(world.engine, { busyRetryMs: 60_000, onRun: () => { throw new Error('listener'); } });
    runner.notify();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await runner.close();
    await runner.idle();
    expect(world.calls).toEqual(['busy']);
    runner.notify();
    expect(world.calls).toEqual(['busy']);
    const other = engineWith(1);
    const throwing = createInboxRunner(other.engine, { onRun: () => { throw new Error('listener'); } });
    throwing.notify();
    await throwing.idle();
    expect(other.calls).toEqual(['run', 'none']);
  });

  it('refuses bad options', () => {
    expect(() => createInboxRunner(engineWith(0).engine, { busyRetryMs: 0 })).toThrow(ConfigurationError);
  });
});
