/**
 * A memory cgroup for the scenarios' children (`--child-memory <MB>`): each child runs as it would in a
 * container with that much memory. Node sizes V8's heap from the memory its process may use (the limit of
 * its cgroup where there is one, the machine's memory otherwise), the young generation included: with
 * Node's default flags, a child in a 1,024 MB cgroup is sized as in a 1 GB container, where on a machine
 * with 24 GB and no limit V8 lets its young generation grow to 128 MB. Linux only, with a cgroup hierarchy
 * this process may write: v2 (`/sys/fs/cgroup`, memory controller enabled) or v1 (`/sys/fs/cgroup/memory`).
 * The cgroup is made under this process's own, so limits above it still hold.
 */
import { mkdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The cgroup could not be made or limited here: the message says why. */
export class ChildCgroupError extends Error {
  override name = 'ChildCgroupError';
}

export interface ChildCgroup {
  /** The cgroup's directory. */
  readonly path: string;
  readonly limitMb: number;
  /** `fork` options that start the child in the cgroup: a shell joins it, then runs Node in its place. */
  forkOptions(execArgv: readonly string[]): { execPath: string; execArgv: string[] };
  /** Removes the cgroup (once its processes have exited). */
  close(): Promise<void>;
}

/** Where the hierarchies are mounted, and this process's cgroups (`/proc/self/cgroup`): the tests' to change. */
export interface CgroupPlaces {
  readonly v2Root: string;
  readonly v1MemoryRoot: string;
  readonly selfCgroups: string;
}

export const SYSTEM_CGROUPS: CgroupPlaces = { v2Root: '/sys/fs/cgroup', v1MemoryRoot: '/sys/fs/cgroup/memory', selfCgroups: '/proc/self/cgroup' };

const exists = (path: string): Promise<boolean> => stat(path).then(
  () => true,
  () => false,
);

/** The memory hierarchy this process is in: its directory for this process, and the file that holds a limit. */
async function ownMemoryCgroup(places: CgroupPlaces): Promise<{ directory: string; limitFile: string }> {
  let lines: string[];
  try {
    lines = (await readFile(places.selfCgroups, 'utf8')).split('\n');
  } catch {
    throw new ChildCgroupError(`--child-memory needs Linux cgroups: ${places.selfCgroups} cannot be read.`);
  }
  // v1 (or a hybrid whose memory controller is v1): "4:memory:/path".
  const v1 = lines.map((line) => /^\d+:([^:]*):(.*)$/.exec(line)).find((match) => match?.[1]?.split(',').includes('memory') === true);
  if (v1 !== undefined && v1 !== null && (await exists(join(places.v1MemoryRoot, 'memory.limit_in_bytes')))) {
    return { directory: join(places.v1MemoryRoot, v1[2] ?? '/'), limitFile: 'memory.limit_in_bytes' };
  }
  // v2 alone: "0::/path", with the memory controller.
  const v2 = lines.map((line) => /^0::(.*)$/.exec(line)).find((match) => match !== null);
  const controllers = await readFile(join(places.v2Root, 'cgroup.controllers'), 'utf8').catch(() => '');
  if (v2 !== undefined && v2 !== null && controllers.split(/\s+/).includes('memory')) {
    return { directory: join(places.v2Root, v2[1] ?? '/'), limitFile: 'memory.max' };
  }
  throw new ChildCgroupError('--child-memory needs a memory cgroup controller (cgroup v1 mounted at /sys/fs/cgroup/memory, or v2 at /sys/fs/cgroup with memory enabled); none is here.');
}

/** Makes a cgroup limited to `limitMb` megabytes for the bench's children; throws {@link ChildCgroupError}. */
export async function openChildCgroup(limitMb: number, places: CgroupPlaces = SYSTEM_CGROUPS): Promise<ChildCgroup> {
  const own = await ownMemoryCgroup(places);
  const path = join(own.directory, `netsuite-sync-bench-${process.pid}`);
  try {
    await mkdir(path);
  } catch (error) {
    throw new ChildCgroupError(`--child-memory: cannot make the cgroup ${path} (${error instanceof Error ? error.message : String(error)}); it needs a hierarchy this user may write.`);
  }
  try {
    await writeFile(join(path, own.limitFile), String(limitMb * 1024 * 1024));
  } catch (error) {
    await rmdir(path).catch(() => undefined);
    throw new ChildCgroupError(`--child-memory: cannot limit the cgroup ${path} (${error instanceof Error ? error.message : String(error)}).`);
  }
  return {
    path,
    limitMb,
    forkOptions: (execArgv) => ({
      execPath: '/bin/sh',
      // sh -c '<script>' <procs file> <node> <node's arguments...>: joins the cgroup, then becomes Node.
      execArgv: ['-c', 'echo $$ > "$0" && exec "$@"', join(path, 'cgroup.procs'), process.execPath, ...execArgv],
    }),
    close: async () => {
      // The kernel may take a moment to let go of a cgroup whose last process has just exited.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await rmdir(path);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await sleep(50);
        }
      }
    },
  };
}
