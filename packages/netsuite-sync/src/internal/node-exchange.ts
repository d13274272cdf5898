/**
 * The default {@link Exchange}: Node's own `http` and `https` modules over keep-alive agents shared by
 * the process's clients. Measured against `fetch` (undici) through ky, on the same requests: about half the CPU a request,
 * and its objects die young. Each `fetch` registers its request and response with finalization registries
 * (and each `AbortSignal.any` its signal), which V8's young-generation collector treats as live, so every
 * request's buffers and closures were promoted to the old generation and the heap grew to several times
 * what was live (see docs/performance.md#memory).
 *
 * It asks for compressed answers (gzip, deflate, br) and decompresses them, as `fetch` does. Redirects are
 * returned, never followed.
 *
 * Not part of the public API.
 */
import type * as Http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Exchange, ExchangeRequest, ExchangeResponse } from './exchange';
import { ResponseHeaders } from './response-headers';

/**
 * Node's `http`, taken as its CommonJS module: importing it as an ES module makes its namespace, whose lazy
 * `WebSocket` export loads the runtime's whole `fetch` implementation (some 15 MB) into the process.
 */
const http = process.getBuiltinModule('node:http');

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** The compressions asked for and undone. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Undoes the answer's `content-encoding`; an unknown one is left as it is (its JSON then fails to parse). */
async function decompress(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzip(body);
    case 'deflate':
      // RFC 9110 says zlib-wrapped; some servers send it raw.
      return inflate(body).catch(() => inflateRaw(body));
    case 'br':
      return brotliDecompress(body);
    default:
      return body;
  }
}


const decoder = new TextDecoder();

/**
 * Keep-alive agents shared by every client of the process, one per protocol, as `fetch` shares its
 * dispatcher: a process that makes a client per job (a worker fleet) reuses the same connections instead
 * of leaving each client's idle ones open. Each client's transport still keeps to its own `concurrency`.
 * Idle sockets never keep the process alive, and are dropped when the server's `Keep-Alive` says.
 */
let httpAgent: Http.Agent | undefined;
let httpsAgent: https.Agent | undefined;

function agentFor(url: URL): Http.Agent {
  return url.protocol === 'https:'
    ? (httpsAgent ??= new https.Agent({ keepAlive: true, scheduling: 'lifo' }))
    : (httpAgent ??= new http.Agent({ keepAlive: true, scheduling: 'lifo' }));
}

/** The default exchange. */
export function nodeExchange(): Exchange {
  return { send: (request) => send(request, agentFor(request.url)) };
}

function send(request: ExchangeRequest, agent: Http.Agent): Promise<ExchangeResponse> {
  const { signal } = request;
  return new Promise<ExchangeResponse>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    const fail = (error: unknown) => finish(() => reject(signal.aborted ? (signal.reason as Error) : error instanceof Error ? error : new Error(String(error))));

    const headers: Record<string, string> = { 'accept-encoding': ACCEPT_ENCODING, ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const module = request.url.protocol === 'https:' ? https : http;
    const outgoing = module.request(request.url, { method: request.method, headers, agent });
    // Destroying the request destroys its socket and any answer being read: neither is reused.
    const onAbort = () => {
      outgoing.destroy(signal.reason as Error);
      fail(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', fail);
    outgoing.on('response', (incoming) => {
      const status = incoming.statusCode ?? 0;
      let responseHeaders: Headers;
      try {
        responseHeaders = new ResponseHeaders(incoming.rawHeaders);
      } catch (error) {
        // A header the Fetch standard refuses: not an answer the client can read.
        outgoing.destroy();
        fail(error);
        return;
      }
      if (status >= 300 && status < 400) {
        // Read to its end (and dropped) so that the connection can be reused.
        incoming.resume();
        finish(() => resolve({ status, headers: responseHeaders, text: '', redirect: { location: incoming.headers.location } }));
        return;
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', fail);
      // A connection closed before the body's end is an error, not a short body.
      incoming.on('close', () => {
        if (!incoming.complete) fail(new Error('The connection closed before the whole answer was read.'));
      });
      incoming.on('end', () => {
        if (!incoming.complete) return;
        decompress(Buffer.concat(chunks), incoming.headers['content-encoding']).then(
          (body) => finish(() => resolve({ status, headers: responseHeaders, text: decoder.decode(body) })),
          fail,
        );
      });
    });
    outgoing.end(request.body);
  });
}
