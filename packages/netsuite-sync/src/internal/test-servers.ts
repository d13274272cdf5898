/**
 * Loopback HTTP servers for the clients' tests of time limits and redirects: real sockets, so what is
 * tested is what the HTTP exchange itself does (follow a redirect or not, close a connection or not). Not part of
 * the package: nothing in `src/index.ts` imports it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One request a test server received. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** The `Authorization` header, when there was one. */
  readonly authorization: string | undefined;
  /** Resolves when the client has closed the request's connection (or the response ended). */
  readonly closed: Promise<void>;
}

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly ReceivedRequest[];
  /** Stops the server and drops every connection still open. */
  close(): Promise<void>;
}

/** Starts a server on a free loopback port that answers every request with `handle`. */
export async function startTestServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, closed });
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler that answers with the headers and the start of a JSON body, then sends a space every `everyMs` forever. */
export function endlessBody(everyMs = 20): (request: IncomingMessage, response: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"items": [');
    const timer = setInterval(() => response.write(' '), everyMs);
    response.once('close', () => clearInterval(timer));
  };
}

/** A handler that never answers (not even the headers). */
export function neverAnswers(): (request: IncomingMessage, response: ServerResponse) => void {
  return () => undefined;
}

/** A handler that answers `status` with a `Location` header. */
export function redirectTo(location: string, status = 302): (request: IncomingMessage, response: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(status, { location, 'content-type': 'text/plain' });
    response.end('Moved');
  };
}

/** A handler that answers JSON. */
export function answerJson(body: unknown, status = 200, headers: Record<string, string> = {}): (request: IncomingMessage, response: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

/** The servers of one test file: `serve` starts one, and each is closed after the test that started it. */
export function testServers(): (handle: Parameters<typeof startTestServer>[0]) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handle) => {
    const server = await startTestServer(handle);
    servers.push(server);
    return server;
  };
}

/** How a call ended (its error, or `undefined`) and how long it took, in milliseconds. */
export async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, ms: performance.now() - started };
}
