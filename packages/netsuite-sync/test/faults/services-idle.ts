/**
 * The wait between two processes of a seed for the services to be done with the requests of the first. A
 * request the client gave up on (its timeout, which a loaded machine can reach with no fault injected) may
 * be read and carried out by the sandbox after the client's promise settled: a create that would land in
 * the next run, after that run looked for it, which the real services never do to a sync whose runs are
 * minutes apart. Runs here are a minute apart on the clock, so a service is done with a request by then.
 */
import type { Sandbox } from '@invoiced/netsuite-sync-sandbox';

/** How long to wait at most for the services (a hung request of a plan never ends; the sandbox answers it with nothing). */
export const SERVICES_IDLE_WAIT_MS = 5_000;

/**
 * Resolves once neither service has a request in hand for three turns of the event loop in a row (a
 * request still on its way is read within one), or after `maxWaitMs`.
 */
export async function servicesIdle(sandbox: Pick<Sandbox, 'netsuite' | 'invoiced'>, maxWaitMs = SERVICES_IDLE_WAIT_MS): Promise<void> {
  const deadline = performance.now() + maxWaitMs;
  for (let quiet = 0; quiet < 3 && performance.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    quiet = sandbox.netsuite.stats.inFlight + sandbox.invoiced.stats.inFlight === 0 ? quiet + 1 : 0;
  }
}
