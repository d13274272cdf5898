/**
 * One HTTP exchange of the shared transport: a request sent, its whole answer read. The transport decides
 * everything else (slots, retries, time limits, errors); an exchange only moves bytes. Two implement it:
 * `node-exchange.ts` (Node's own `http`/`https`, the default) and `fetch-exchange.ts` (ky over a `fetch`
 * the caller supplies).
 *
 * Not part of the public API.
 */
import type { HttpMethod } from '../options';

/** What the transport asks an exchange to send. */
export interface ExchangeRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  /** Every header to send, authorization included (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /**
   * Ends the exchange: the request, or the read of its answer, is stopped (the connection is not reused)
   * and the exchange rejects with the signal's reason.
   */
  readonly signal: AbortSignal;
}

/** An answer read whole. */
export interface ExchangeResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body, decompressed and decoded as UTF-8 (a byte-order mark dropped); '' for a redirect. */
  readonly text: string;
  /**
   * Set when the answer is a redirect, which is never followed (its body is not read): where it points,
   * as the service said it, when it said.
   */
  readonly redirect?: { readonly location: string | undefined } | undefined;
}

/**
 * Sends one request and reads its whole answer. Rejects when no answer could be read (a lost connection,
 * a body cut short, the signal's abort); an answer of any status resolves.
 */
export interface Exchange {
  send(request: ExchangeRequest): Promise<ExchangeResponse>;
}
