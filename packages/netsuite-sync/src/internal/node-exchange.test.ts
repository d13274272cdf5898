import { getEventListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors';
import type { Logger, ResponseInfo } from '../options';
import { DEFAULT_RETRY } from './policy';
import { Redactor } from './redact';
import { startTestServer, type TestServer } from './test-servers';
import { Transport } from './transport';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  vi.restoreAllMocks();
});

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const server = await startTestServer(handle);
  servers.push(server);
  return server;
}

/** A transport on Node's own HTTP (no `fetch` given), as the clients make by default. */
function transportTo(server: TestServer, extra: { timeoutMs?: number; onResponse?: (info: ResponseInfo) => void; logger?: Logger } = {}) {
  return new Transport({
    api: 'invoiced',
    baseUrl: server.url,
    timeoutMs: extra.timeoutMs ?? 2000,
    deadlineMs: 5000,
    retry: { ...DEFAULT_RETRY, retries: 1, minDelayMs: 0, maxDelayMs: 0 },
    concurrency: 4,
    redactor: new Redactor(),
    requestIdHeaders: ['x-request-id'],
    toError: (info) => new ApiError('invoiced', `failed: ${info.kind}`, { ...info.context, code: info.kind, kind: info.kind, cause: info.cause }),
    authorize: () => ({ authorization: 'Basic c2VjcmV0Og==' }),
    onResponse: extra.onResponse,
    logger: extra.logger,
  });
}

const json = { items: [{ id: 1, name: 'Müller & Söhne' }] };

describe('the default exchange (Node http)', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ] as const)('asks for compressed answers and undoes %s', async (encoding, compress) => {
    let accepted: string | undefined;
    const server = await serve((request, response) => {
      accepted = request.headers['accept-encoding'];
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(compress(Buffer.from(JSON.stringify(json))));
    });
    const answer = await transportTo(server).send({ method: 'GET', path: '/customers' });
    expect(answer.body).toEqual(json);
    expect(accepted).toBe('gzip, deflate, br');
  });

  it('drops a byte-order mark and decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(json))]);
    const split = bytes.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(bytes.subarray(0, split));
      setTimeout(() => response.end(bytes.subarray(split)), 10);
    });
    expect((await transportTo(server).send({ method: 'GET', path: '/x' })).body).toEqual(json);
  });

  it('sends the body with its length in bytes, and every header', async () => {
    let received: { length: string | undefined; type: string | undefined; auth: string | undefined; body: string } | undefined;
    const server = await serve((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received = { length: request.headers['content-length'], type: request.headers['content-type'], auth: request.headers.authorization, body };
        response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1', 'set-cookie': ['a=1', 'b=2'] });
        response.end('{"id":7}');
      });
    });
    const answer = await transportTo(server).send({ method: 'POST', path: '/customers', json: { name: 'Müller' } });
    expect(received).toEqual({ length: String(Buffer.byteLength('{"name":"Müller"}')), type: 'application/json', auth: 'Basic c2VjcmV0Og==', body: '{"name":"Müller"}' });
    expect(answer).toMatchObject({ status: 201, body: { id: 7 }, requestId: 'req-1' });
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
  });

  it('keeps the connection open between requests, and after a redirect it refused', async () => {
    const ports: number[] = [];
    const server = await serve((request, response) => {
      ports.push(request.socket.remotePort ?? 0);
      if (request.url === '/moved') {
        response.writeHead(302, { location: 'https://elsewhere.example/steal?token=x' });
        response.end('<html>moved</html>');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const transport = transportTo(server);
    await transport.send({ method: 'GET', path: '/a' });
    await expect(transport.send({ method: 'GET', path: '/moved' })).rejects.toMatchObject({ kind: 'invalid_response', status: 302 });
    await transport.send({ method: 'GET', path: '/b' });
    expect(server.requests.map((request) => request.url)).toEqual(['/a', '/moved', '/b']);
    expect(new Set(ports).size).toBe(1);
  });

  it('shares connections between clients, as fetch shares its pool: a client made per job leaves no idle ones behind', async () => {
    const ports: number[] = [];
    const server = await serve((request, response) => {
      ports.push(request.socket.remotePort ?? 0);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    for (let job = 0; job < 5; job++) await transportTo(server).send({ method: 'GET', path: `/job/${job}` });
    expect(new Set(ports).size).toBe(1);
  });

  it('fails an answer cut short as a lost connection (and retries a read), never as a short body', async () => {
    let calls = 0;
    const server = await serve((_request, response) => {
      calls += 1;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"items": [');
      setTimeout(() => response.socket?.destroy(), 10);
    });
    await expect(transportTo(server).send({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'connection' });
    expect(calls).toBe(2);
  });

  it('stops reading at once when the caller aborts, closes the connection, and leaves no listener on the caller signal', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"items": [');
    });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = transportTo(server).send({ method: 'GET', path: '/x', signal: controller.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    await server.requests[0]?.closed;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('times an attempt out mid-body as kind timeout', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"items": [');
    });
    await expect(transportTo(server, { timeoutMs: 50 }).send({ method: 'POST', path: '/x', json: {} })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('composes no signal with AbortSignal.any, and leaves no listener on the caller signal after many requests', async () => {
    const any = vi.spyOn(AbortSignal, 'any');
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const transport = transportTo(server);
    const controller = new AbortController();
    await Promise.all(Array.from({ length: 20 }, (_, index) => transport.send({ method: 'GET', path: `/x/${index}`, signal: controller.signal })));
    expect(any).not.toHaveBeenCalled();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('the default exchange and the runtime\'s fetch', () => {
  it('never uses fetch, Request, Response or Headers, whose first use loads the runtime\'s fetch into the process', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', link: '</customers?page=2>; rel="next"', 'x-request-id': 'req-1' });
      response.end(JSON.stringify(json));
    });
    const touched: string[] = [];
    const names = ['fetch', 'Request', 'Response', 'Headers'] as const;
    const originals = names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
    for (const [name, descriptor] of originals) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get(): unknown {
          touched.push(name);
          return descriptor?.get?.call(globalThis) ?? (descriptor?.value as unknown);
        },
      });
    }
    try {
      const answer = await transportTo(server).send({ method: 'POST', path: '/customers', json: { name: 'Acme' } });
      expect(answer.body).toEqual(json);
      expect(answer.headers.get('LINK')).toBe('</customers?page=2>; rel="next"');
    } finally {
      for (const [name, descriptor] of originals) if (descriptor !== undefined) Object.defineProperty(globalThis, name, descriptor);
    }
    expect(touched).toEqual([]);
  });
});

describe('onResponse', () => {
  it('is told of every answered attempt, errors included, in the request task', async () => {
    let calls = 0;
    const server = await serve((_request, response) => {
      calls += 1;
      response.writeHead(calls === 1 ? 503 : 200, { 'content-type': 'application/json' });
      response.end(calls === 1 ? '{"message":"busy"}' : '{"id":1}');
    });
    const seen: ResponseInfo[] = [];
    await transportTo(server, { onResponse: (info) => seen.push(info) }).send({ method: 'GET', path: '/invoices', query: { page: 2 } });
    expect(seen.map(({ api, method, url, requestBody, status, body, attempt }) => ({ api, method, url: url.href, requestBody, status, body, attempt }))).toEqual([
      { api: 'invoiced', method: 'GET', url: `${server.url}/invoices?page=2`, requestBody: undefined, status: 503, body: { message: 'busy' }, attempt: 1 },
      { api: 'invoiced', method: 'GET', url: `${server.url}/invoices?page=2`, requestBody: undefined, status: 200, body: { id: 1 }, attempt: 2 },
    ]);
    expect(seen.every((info) => info.durationMs >= 0)).toBe(true);
  });

  it('is told of a redirect too, which the request then refuses', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(301, { location: 'https://elsewhere.example/' });
      response.end();
    });
    const seen: ResponseInfo[] = [];
    await expect(transportTo(server, { onResponse: (info) => seen.push(info) }).send({ method: 'GET', path: '/moved' })).rejects.toMatchObject({ kind: 'invalid_response' });
    expect(seen.map((info) => [info.status, info.body])).toEqual([[301, undefined]]);
  });

  it('never breaks a request when it throws: the error is logged as a warning', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    const warn = vi.fn();
    const transport = transportTo(server, { onResponse: () => { throw new Error('metrics down'); }, logger: { warn } });
    await expect(transport.send({ method: 'POST', path: '/x', json: { a: 1 } })).resolves.toMatchObject({ body: { ok: true } });
    expect(warn).toHaveBeenCalledWith('invoiced: onResponse threw; the request goes on', expect.objectContaining({ error: 'metrics down' }));
  });
});
