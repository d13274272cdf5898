/**
 * The work of a sync: its enabled phases, each started as soon as the phases it runs after
 * ({@link Phase.after}) have finished. Phases that do not depend on each other run at the same time, so
 * that while one keeps Invoiced busy another keeps NetSuite busy; the order the guards need (reads before
 * the writes that depend on them, links saved before they are relied on) is the `after` lists', checked here.
 */
import type { Phase, PhaseDeps } from '../contracts';
import type { RunContext } from './run-context';

/** The phase an `after` entry names: `name`, or `name:ready`. */
function phaseOf(entry: string): string {
  return entry.endsWith(READY) ? entry.slice(0, -READY.length) : entry;
}

const READY = ':ready';

/**
 * Checks that no phase runs after itself or after a phase listed after it (so the phases form no cycle,
 * and each waits only for phases already started). A name not in the list is a phase this run leaves out
 * (a targeted run has only the phases that sync Invoiced records by ID): nothing to wait for.
 * @throws {Error} naming the phase whose `after` is wrong: a mistake in the engine's own phase list.
 */
export function checkPhaseOrder(phases: readonly Phase[]): void {
  const names = new Set(phases.map((phase) => phase.name));
  if (names.size !== phases.length) throw new Error('A phase is listed twice.');
  const seen = new Set<string>();
  for (const phase of phases) {
    for (const entry of phase.after) {
      const name = phaseOf(entry);
      if (names.has(name) && !seen.has(name)) throw new Error(`Phase ${phase.name} runs after ${name}, which is listed after it.`);
    }
    seen.add(phase.name);
  }
}

/**
 * The work of a run over `phases` (in an order where each comes after those it runs after). A phase whose
 * `after` names a phase that is off in this run does not wait for it. Each phase reports `phase_started`
 * and `phase_finished` from within its own asynchronous task (so that what it does can be told apart from
 * what the phases beside it do). The first phase that fails halts the others at their next safe point and
 * is the run's error; the phases that wait for it never start. The work settles once every phase started
 * has settled: nothing is left running behind the run.
 */
export function phasesWork(phases: readonly Phase[], deps: PhaseDeps): (context: RunContext) => Promise<void> {
  checkPhaseOrder(phases);
  return async (context) => {
    const enabled = phases.filter((phase) => phase.enabled(deps.settings));
    // The links the phases save are watched: a record deferred for one is handed again once it is saved.
    const runDeps: PhaseDeps = { ...deps, store: context.watchLinks(deps.store) };
    const finished = new Map<string, Promise<void>>();
    let failure: { error: unknown } | undefined;
    const runPhase = async (phase: Phase): Promise<void> => {
      context.checkpoint();
      context.emit({ type: 'phase_started', runId: context.runId, phase: phase.name });
      const phaseCounts = await context.withPhaseCounts(async () => {
        await phase.run(context, runDeps);
        await context.flushErrors();
      });
      context.emit({ type: 'phase_finished', runId: context.runId, phase: phase.name, counts: { ...context.counts }, phaseCounts: { ...phaseCounts } });
    };
    for (const phase of enabled) {
      const before = phase.after.flatMap((entry) => {
        const name = phaseOf(entry);
        const task = finished.get(name);
        if (task === undefined) return [];
        return entry === name ? [task] : [context.whenReady(name)];
      });
      // `then`: each phase starts in an asynchronous task of its own, once those before it have finished.
      const task = Promise.all(before)
        .then(() => runPhase(phase))
        .catch((error: unknown) => {
          // The first failure is the run's; the others (phases halted by it, or waiting for a failed one) follow from it.
          if (failure === undefined) {
            failure = { error };
            context.halt(error);
          }
          throw error;
        });
      finished.set(phase.name, task);
      context.trackPhase(phase.name, task);
    }
    await Promise.allSettled(finished.values());
    // A record waiting for a link looked it up in the background: that look ends before the run does.
    await context.linksIdle();
    if (failure !== undefined) throw failure.error;
  };
}
