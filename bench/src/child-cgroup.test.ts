/**
 * The memory cgroup of `--child-memory`: made under this process's own cgroup in the hierarchy that has
 * the memory controller, limited, joined by the child before Node starts, and removed. Run with
 * `node --test bench/src/child-cgroup.test.ts`. The last test runs a real child where this machine lets
 * this user make a cgroup, and says it was skipped where not.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ChildCgroupError, openChildCgroup, type CgroupPlaces } from '#bench/child-cgroup';
import { parseFlags, USAGE, UsageError } from '#bench/flags';

const run = promisify(execFile);
const made: string[] = [];
after(() => Promise.all(made.map((path) => rm(path, { recursive: true, force: true }))));

/** A fake /sys/fs/cgroup and /proc/self/cgroup in a temporary directory. */
async function places(selfCgroups: string, layout: { v1?: boolean; controllers?: string }): Promise<CgroupPlaces> {
  const root = await mkdtemp(join(tmpdir(), 'bench-cgroup-test-'));
  made.push(root);
  const result = { v2Root: join(root, 'v2'), v1MemoryRoot: join(root, 'memory'), selfCgroups: join(root, 'self-cgroup') };
  await writeFile(result.selfCgroups, selfCgroups);
  await mkdir(join(result.v2Root, 'outer'), { recursive: true });
  await mkdir(join(result.v1MemoryRoot, 'outer'), { recursive: true });
  if (layout.v1 === true) await writeFile(join(result.v1MemoryRoot, 'memory.limit_in_bytes'), '9223372036854771712');
  if (layout.controllers !== undefined) await writeFile(join(result.v2Root, 'cgroup.controllers'), layout.controllers);
  return result;
}

/** A real cgroup's files are the kernel's and go with it: the fake's are removed first, so that rmdir can. */
const emptied = async (path: string): Promise<void> => {
  await rm(join(path, 'memory.limit_in_bytes'), { force: true });
  await rm(join(path, 'memory.max'), { force: true });
};

const gone = (path: string): Promise<boolean> => stat(path).then(
  () => false,
  () => true,
);

void describe('--child-memory: the cgroup', () => {
  void it('is made under this process\'s own v1 memory cgroup, limited in bytes, and removed by close()', async () => {
    const fake = await places('12:pids:/elsewhere\n4:memory:/outer\n0::/\n', { v1: true, controllers: 'cpu memory' });
    const cgroup = await openChildCgroup(256, fake);
    assert.equal(cgroup.path, join(fake.v1MemoryRoot, 'outer', `netsuite-sync-bench-${process.pid}`));
    assert.equal(await readFile(join(cgroup.path, 'memory.limit_in_bytes'), 'utf8'), String(256 * 1024 * 1024));
    await emptied(cgroup.path);
    await cgroup.close();
    assert.equal(await gone(cgroup.path), true);
  });

  void it('uses v2 (memory.max) where the memory controller is there and v1 is not', async () => {
    const fake = await places('0::/outer\n', { controllers: 'cpuset cpu io memory pids' });
    const cgroup = await openChildCgroup(1024, fake);
    assert.equal(cgroup.path, join(fake.v2Root, 'outer', `netsuite-sync-bench-${process.pid}`));
    assert.equal(await readFile(join(cgroup.path, 'memory.max'), 'utf8'), String(1024 * 1024 * 1024));
    await emptied(cgroup.path);
    await cgroup.close();
  });

  void it('starts the child through a shell that joins the cgroup, then runs Node with its arguments', async () => {
    const fake = await places('4:memory:/outer\n', { v1: true });
    const cgroup = await openChildCgroup(512, fake);
    const options = cgroup.forkOptions(['--expose-gc']);
    assert.equal(options.execPath, '/bin/sh');
    assert.deepEqual(options.execArgv.slice(2), [join(cgroup.path, 'cgroup.procs'), process.execPath, '--expose-gc']);
    await emptied(cgroup.path);
    await cgroup.close();
  });

  void it('refuses, saying why, where there is no memory controller or no cgroup at all', async () => {
    const none = await places('0::/outer\n', { controllers: 'cpu io' });
    await assert.rejects(openChildCgroup(512, none), (error: unknown) => error instanceof ChildCgroupError && /needs a memory cgroup controller/.test(error.message));
    const unreadable = { ...none, selfCgroups: join(none.v2Root, 'no-such-file') };
    await assert.rejects(openChildCgroup(512, unreadable), (error: unknown) => error instanceof ChildCgroupError && /cannot be read/.test(error.message));
  });

  void it('is a flag of at least 128 MB, in the usage', () => {
    assert.equal(parseFlags(['--child-memory', '1024'])['child-memory'], 1024);
    assert.equal(parseFlags([])['child-memory'], undefined);
    assert.throws(() => parseFlags(['--child-memory', '64']), (error: unknown) => error instanceof UsageError && /--child-memory: at least 128/.test(error.message));
    assert.match(USAGE, /--child-memory <MB>/);
  });
});

/** Whether this user may make a memory cgroup here (made and removed at once). */
async function cgroupsWritable(): Promise<boolean> {
  try {
    await (await openChildCgroup(512)).close();
    return true;
  } catch {
    return false;
  }
}

const writable = process.platform === 'linux' && (await cgroupsWritable());

void describe('--child-memory: a real child', () => {
  void it('runs in the cgroup, and Node sizes its heap from the limit', { skip: writable ? false : 'this user may not make a memory cgroup here' }, async () => {
    const cgroup = await openChildCgroup(512);
    try {
      const script = "const v8 = require('node:v8'); process.stdout.write(JSON.stringify({ limit: v8.getHeapStatistics().heap_size_limit, cgroup: require('node:fs').readFileSync('/proc/self/cgroup', 'utf8') }))";
      const options = cgroup.forkOptions(['-e', script]);
      const { stdout } = await run(options.execPath, options.execArgv);
      const seen = JSON.parse(stdout) as { limit: number; cgroup: string };
      assert.match(seen.cgroup, new RegExp(`netsuite-sync-bench-${process.pid}`));
      // Node's default heap limit with no cgroup is a quarter of the machine's memory or more; here about half the limit.
      assert.ok(seen.limit < 400 * 1024 * 1024, `heap limit ${seen.limit}`);
    } finally {
      await cgroup.close();
    }
  });
});
