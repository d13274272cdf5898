/**
 * The two ways to carry sandbox requests: msw handlers (in-process, for test suites) and real
 * `node:http` servers (for examples, the CLI demo and benchmarks).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { SandboxOutcome, SandboxRequest } from './http';
import type { GovernedService } from './service';

function bodyText(outcome: Extract<SandboxOutcome, { kind: 'response' }>): string | undefined {
  if (outcome.body === undefined) return undefined;
  return typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
}

/** msw handlers that answer every request below `baseUrl` from `service`. */
export function mswHandlers(baseUrl: string, service: GovernedService): HttpHandler[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    http.all(`${base}/*`, async ({ request }) => {
      const outcome = await service.handle({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: await request.text(),
      });
      if (outcome.kind === 'drop') return HttpResponse.error();
      if (outcome.kind === 'hang') {
        await delay('infinite');
        return HttpResponse.error();
      }
      return new HttpResponse(bodyText(outcome), { status: outcome.status, headers: outcome.headers });
    }),
  ];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** A running `node:http` server for one service. */
export interface ServiceServer {
  /** `http://host:port`, the base URL to give the client. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Starts a `node:http` server answering from `service`. */
export function listenService(service: GovernedService, options: { port?: number; host?: string } = {}): Promise<ServiceServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    void (async () => {
      const sandboxRequest: SandboxRequest = {
        method: request.method ?? 'GET',
        url: new URL(request.url ?? '/', `http://${request.headers.host ?? host}`),
        headers: toHeaders(request),
        body: await readBody(request),
      };
      const outcome = await service.handle(sandboxRequest);
      if (outcome.kind === 'drop') {
        request.socket.destroy();
        return;
      }
      // 'hang': keep the socket open and silent until the client gives up or the server closes.
      if (outcome.kind === 'hang') return;
      response.writeHead(outcome.status, outcome.headers);
      response.end(bodyText(outcome));
    })().catch(() => request.socket.destroy());
  });
  // Clients reuse connections as with the real services. Node's fetch subtracts 2 s from the server's
  // keep-alive hint, so a shorter timeout would make it open a connection per request. close() ends
  // kept-alive and hung sockets alike.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
