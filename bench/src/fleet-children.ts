/**
 * The fleet bench's child processes as the parent sees them: the sandbox host, the workers and the
 * auto-sync comparison, each forked from its script in bench/src, its IPC messages parsed with zod.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { autoMessageSchema, hostMessageSchema, workerMessageSchema, type AutoConfig, type AutoMessage, type HostConfig, type HostMessage, type JobEnd, type Memory, type Statements, type WorkerConfig } from '#bench/fleet-protocol';

const script = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

function forkChild(name: string): ChildProcess {
  return fork(script(name), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

/** Resolves with the first message `pick` accepts; rejects if the child exits first. */
function waitFor<T>(child: ChildProcess, parse: (message: unknown) => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const value = parse(message);
      if (value === undefined) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    };
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`${what}: the child exited (${signal ?? String(code)}) first`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export interface Host {
  readonly ready: Extract<HostMessage, { type: 'ready' }>;
  close(): Promise<Extract<HostMessage, { type: 'closed' }>>;
}

export async function startHost(config: HostConfig): Promise<Host> {
  const child = forkChild('fleet-sandboxes');
  const parse = <K extends HostMessage['type']>(type: K) => (message: unknown) => {
    const parsed = hostMessageSchema.safeParse(message);
    return parsed.success && parsed.data.type === type ? (parsed.data as Extract<HostMessage, { type: K }>) : undefined;
  };
  const ready = waitFor(child, parse('ready'), 'sandbox host');
  child.send(config);
  return {
    ready: await ready,
    close: async () => {
      const closed = waitFor(child, parse('closed'), 'sandbox host close');
      child.send({ type: 'stop' });
      const result = await closed;
      if (child.exitCode === null) await once(child, 'exit');
      return result;
    },
  };
}

/** A worker process and what it reported. */
export interface WorkerHandle {
  readonly workerId: string;
  readonly child: ChildProcess;
  readonly startedAt: number;
  memory: Memory | null;
  statements: Statements | null;
  running: { connectionId: string; jobId: string }[];
  stopped: { drainMs: number; runningAtStop: number } | null;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startWorkerProcess(config: WorkerConfig, onJob: (end: JobEnd) => void): Promise<WorkerHandle> {
  const child = forkChild('fleet-worker');
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const handle: WorkerHandle = { workerId: config.workerId, child, startedAt: Date.now(), memory: null, statements: null, running: [], stopped: null, exit };
  child.on('message', (raw) => {
    const parsed = workerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'job') onJob(message.end);
    else if (message.type === 'stats') {
      handle.memory = message.memory;
      handle.statements = message.statements;
      handle.running = message.running;
    } else if (message.type === 'stopped') handle.stopped = { drainMs: message.drainMs, runningAtStop: message.runningAtStop };
  });
  const started = waitFor(child, (raw) => {
    const parsed = workerMessageSchema.safeParse(raw);
    return parsed.success && parsed.data.type === 'started' ? parsed.data : undefined;
  }, `worker ${config.workerId}`);
  child.send(config);
  await started;
  return handle;
}

export interface AutoResult {
  readonly registeredAt: number;
  readonly runs: Extract<AutoMessage, { type: 'run' }>['run'][];
  readonly done: Extract<AutoMessage, { type: 'done' }>;
}

export async function runAutoProcess(config: AutoConfig): Promise<AutoResult> {
  const child = forkChild('fleet-auto');
  const runs: AutoResult['runs'] = [];
  let registeredAt = Date.now();
  child.on('message', (raw) => {
    const parsed = autoMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    if (parsed.data.type === 'run') runs.push(parsed.data.run);
    else if (parsed.data.type === 'started') registeredAt = parsed.data.registeredAt;
  });
  const done = waitFor(child, (raw) => {
    const parsed = autoMessageSchema.safeParse(raw);
    return parsed.success && parsed.data.type === 'done' ? parsed.data : undefined;
  }, 'auto-sync');
  child.send(config);
  const result = await done;
  if (child.exitCode === null) await once(child, 'exit');
  return { registeredAt, runs, done: result };
}
