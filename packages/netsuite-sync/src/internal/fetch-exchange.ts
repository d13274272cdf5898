/**
 * The {@link Exchange} over a `fetch` the caller supplies (a proxy's, an instrumented one, a test's), sent
 * with ky. ky's own timeout, retries and error throwing are off: the transport does those. `redirect:
 * 'manual'`: a 3xx comes back as it is, never followed.
 *
 * Not part of the public API.
 */
import type { KyInstance } from 'ky';
import { raceAbort, readBodyText } from './abort';
import type { Exchange } from './exchange';
import { discardBody, isRedirect } from './http';

/**
 * ky, loaded by the first request of a client given a `fetch`: loading it touches the runtime's `Request`,
 * which loads the whole `fetch` implementation into the process, and a process that never sends with a
 * `fetch` of its own never pays for it.
 */
let loading: Promise<KyInstance> | undefined;

/** Creates an exchange that sends with `fetchImpl`. */
export function fetchExchange(fetchImpl: typeof fetch): Exchange {
  return {
    async send({ method, url, headers, body, signal }) {
      loading ??= import('ky').then((module) => module.default);
      const ky = await loading;
      const pending = ky(url, { method, headers, body, timeout: false, retry: 0, throwHttpErrors: false, redirect: 'manual', signal, fetch: fetchImpl });
      // Raced as well, in case the `fetch` ignores the signal: the transport's slot is freed either way.
      const response = await raceAbort(pending, signal, discardBody);
      if (isRedirect(response)) {
        discardBody(response);
        const location = response.headers.get('location') ?? (response.redirected ? response.url : undefined);
        return { status: response.status, headers: response.headers, text: '', redirect: { location } };
      }
      return { status: response.status, headers: response.headers, text: await readBodyText(response, signal) };
    },
  };
}
