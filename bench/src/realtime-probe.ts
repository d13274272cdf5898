/**
 * Where the time of a webhook's targeted run goes: the engine's clients send every request through
 * {@link RunProbe.observerFor} (their `onResponse`), which notes its kind and duration against the run in progress; the inbox
 * runner calls the engine through {@link RunProbe.engine}, which notes how long each `syncPending()` took
 * before its run started (the lease, the inbox check, recording the run) and after it ended; the engine's
 * events give the runs' and phases' bounds.
 */
import type { ResponseInfo, SyncEngine } from '@invoiced/netsuite-sync';
import { suiteqlKind } from '#bench/meter';

type Service = 'netsuite' | 'invoiced';

/** One request of the engine. */
interface ProbeRequest {
  readonly service: Service;
  readonly kind: string;
  readonly ms: number;
  readonly status: number;
}

/** One `syncPending()` call, with the run it made (if any). */
export interface ProbedCall {
  readonly calledAt: number;
  endedAt: number;
  runId: string | null;
  runStartedAt: number | null;
  runFinishedAt: number | null;
  status: string | null;
  readonly phases: { phase: string; ms: number }[];
  readonly requests: ProbeRequest[];
  /** Inbox events the run marked done. */
  eventsDone: number;
}

const RECORD = /^\/services\/rest\/record\/v1\/([^/?]+)(\/[^/?]+)?/;

/** A name for one request of the engine, without IDs. */
export function requestKind(service: Service, method: string, url: URL, body: string | undefined): string {
  if (service === 'netsuite') {
    if (url.pathname.endsWith('/query/v1/suiteql')) {
      const parsed = body === undefined ? undefined : (JSON.parse(body) as { q?: unknown }).q;
      const query = typeof parsed === 'string' ? parsed : '';
      return /SYSDATE/i.test(query) ? 'suiteql NetSuite clock' : suiteqlKind(query);
    }
    const match = RECORD.exec(url.pathname);
    const record = match?.[1] ?? url.pathname;
    const target = match?.[2]?.startsWith('/eid:') === true ? ' by external id' : match?.[2] === undefined ? '' : ' by id';
    return `${method} ${record}${target}`;
  }
  const [collection = '', id] = url.pathname.split('/').filter((part) => part !== '');
  return `${method} ${collection}${id === undefined ? '' : '/:id'}`;
}

/** Records the engine's runs and requests. */
export class RunProbe {
  readonly calls: ProbedCall[] = [];
  /** Requests outside any targeted run (the first sync, the catch-up sync). */
  readonly outside: ProbeRequest[] = [];
  #current: ProbedCall | undefined;
  #phase: { phase: string; at: number } | undefined;

  /** The engine's clients' `onResponse` for one service: notes each answered request against the run in progress. */
  observerFor(service: Service): (info: ResponseInfo) => void {
    return (info) => {
      const kind = requestKind(service, info.method, info.url, info.method === 'GET' ? undefined : info.requestBody);
      (this.#current?.requests ?? this.outside).push({ service, kind, ms: info.durationMs, status: info.status });
    };
  }

  /** The engine's `onEvent`. */
  readonly onEvent = (event: { type: string; runId?: string; phase?: string; counts?: Readonly<Record<string, number>>; status?: string }): void => {
    const call = this.#current;
    if (call === undefined) return;
    const now = performance.now();
    if (event.type === 'run_started') {
      call.runId = event.runId ?? null;
      call.runStartedAt = now;
    } else if (event.type === 'phase_started') {
      this.#phase = { phase: event.phase ?? '?', at: now };
    } else if (event.type === 'phase_finished' && this.#phase !== undefined) {
      call.phases.push({ phase: this.#phase.phase, ms: now - this.#phase.at });
      this.#phase = undefined;
    } else if (event.type === 'run_finished') {
      call.runFinishedAt = now;
      call.status = event.status ?? null;
      call.eventsDone = event.counts?.inbox_events_done ?? 0;
    }
  };

  /** What the inbox runner calls: the engine's `syncPending`, timed. */
  engine(engine: SyncEngine): Pick<SyncEngine, 'connectionId' | 'syncPending'> {
    return {
      connectionId: engine.connectionId,
      syncPending: async (options) => {
        const call: ProbedCall = { calledAt: performance.now(), endedAt: 0, runId: null, runStartedAt: null, runFinishedAt: null, status: null, phases: [], requests: [], eventsDone: 0 };
        this.#current = call;
        try {
          return await engine.syncPending(options);
        } finally {
          call.endedAt = performance.now();
          this.#current = undefined;
          this.calls.push(call);
        }
      },
    };
  }
}

/** Mean of a list, 0 for none. */
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
const round = (value: number) => Math.round(value);

/** What the targeted runs cost, per run and by kind of request. */
export function profileRuns(calls: readonly ProbedCall[]) {
  const runs = calls.filter((call) => call.runStartedAt !== null && call.runFinishedAt !== null);
  const byKind = new Map<string, { service: Service; kind: string; requests: number; totalMs: number }>();
  for (const run of runs) {
    for (const request of run.requests) {
      const key = `${request.service} ${request.kind}`;
      const entry = byKind.get(key) ?? { service: request.service, kind: request.kind, requests: 0, totalMs: 0 };
      entry.requests += 1;
      entry.totalMs += request.ms;
      byKind.set(key, entry);
    }
  }
  const phases = new Map<string, number[]>();
  for (const run of runs) for (const phase of run.phases) phases.set(phase.phase, [...(phases.get(phase.phase) ?? []), phase.ms]);
  return {
    calls: calls.length,
    runs: runs.length,
    callsWithoutRun: calls.length - runs.length,
    eventsPerRun: Math.round(mean(runs.map((run) => run.eventsDone)) * 10) / 10,
    meanMs: {
      call: round(mean(runs.map((run) => run.endedAt - run.calledAt))),
      beforeRun: round(mean(runs.map((run) => (run.runStartedAt ?? 0) - run.calledAt))),
      run: round(mean(runs.map((run) => (run.runFinishedAt ?? 0) - (run.runStartedAt ?? 0)))),
      afterRun: round(mean(runs.map((run) => run.endedAt - (run.runFinishedAt ?? 0)))),
      inRequests: round(mean(runs.map((run) => run.requests.reduce((sum, request) => sum + request.ms, 0)))),
    },
    phases: [...phases].map(([phase, times]) => ({ phase, meanMs: round(mean(times)), maxMs: round(Math.max(...times)) })),
    requests: [...byKind.values()]
      .sort((a, b) => b.totalMs - a.totalMs)
      .map((entry) => ({ ...entry, totalMs: round(entry.totalMs), meanMs: round(entry.totalMs / entry.requests), perRun: Math.round((entry.requests / Math.max(1, runs.length)) * 100) / 100 })),
  };
}

export type RunProfile = ReturnType<typeof profileRuns>;
