/**
 * Thin adapters from the Web-standard webhook handler to Node's `http`, Express 5, Fastify 5 and Hono 4.
 * None imports its framework: each takes the framework's objects by the few members it uses, so the
 * package depends on none of them.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES } from './handler';

/** A Web-standard handler, optionally carrying its body limit (as `createInvoicedWebhookHandler`'s does). */
export type WebRequestHandler = ((request: Request) => Promise<Response>) & { readonly maxBodyBytes?: number };

/** Headers that describe the connection, not the message: not copied into the `Request`. */
const CONNECTION_HEADERS = new Set(['connection', 'content-length', 'host', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'te', 'trailer']);

const INTERNAL_ERROR = JSON.stringify({ received: false, error: 'internal_error' });

function limitOf(handler: WebRequestHandler): number {
  return handler.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || CONNECTION_HEADERS.has(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A value fetch refuses (it cannot matter to the handler): left out.
      }
    }
  }
  return headers;
}

function urlOf(req: IncomingMessage): string {
  const path = req.url ?? '/';
  try {
    return new URL(path.startsWith('/') ? path : `/${path}`, `http://${req.headers.host ?? 'localhost'}`).href;
  } catch {
    return 'http://localhost/';
  }
}

/** A `Request` for a Node request whose body is already read (`body`, or none for GET and HEAD). */
function toRequest(req: IncomingMessage, body: Uint8Array | undefined): Request {
  const method = req.method ?? 'GET';
  const withBody = method !== 'GET' && method !== 'HEAD';
  return new Request(urlOf(req), { method, headers: toHeaders(req.headers), ...(withBody ? { body: new Uint8Array(body ?? new Uint8Array(0)) } : {}) });
}

/**
 * Reads a Node request body up to `maxBytes` + 1 bytes: past the limit it stops reading (`over`), so a
 * huge body is never held, and the handler, given more than its limit, answers 413 itself.
 */
function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<{ bytes: Uint8Array; over: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (over: boolean) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve({ bytes: Buffer.concat(chunks), over });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.byteLength;
      if (length > maxBytes) {
        req.pause();
        finish(true);
      }
    };
    const onEnd = () => finish(false);
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd);
      reject(error);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

async function send(res: ServerResponse, response: Response, close: boolean): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['content-length'] = String(body.byteLength);
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

async function serve(handler: WebRequestHandler, req: IncomingMessage, res: ServerResponse, buffered?: Uint8Array): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    let body = buffered;
    let over = false;
    if (body === undefined && method !== 'GET' && method !== 'HEAD') ({ bytes: body, over } = await readNodeBody(req, limitOf(handler)));
    const response = await handler(toRequest(req, body));
    await send(res, response, over);
    // The rest of a body too large to read is discarded, and the connection closed after the answer.
    if (over) req.resume();
  } catch {
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(INTERNAL_ERROR);
  }
}

/**
 * A Node `http` request listener for the handler: reads the body (never more than the handler's limit),
 * calls the handler with a `Request`, writes its `Response`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * declare const handler: WebRequestHandler; // createInvoicedWebhookHandler({ secret, connectionId, store })
 * createServer(toNodeListener(handler)).listen(3000);
 * ```
 */
export function toNodeListener(handler: WebRequestHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serve(handler, req, res);
  };
}

/** What the Express adapter reads of Express's request: Node's, plus the body a parser may have set. */
export interface ExpressLikeRequest extends IncomingMessage {
  body?: unknown;
}

const PARSED_MESSAGE =
  'The request body was parsed before the Invoiced webhook handler, which needs the raw bytes to check the signature. Mount the webhook route before express.json() (or any body parser), or give it express.raw({ type: "application/json" }).';

/**
 * An Express 5 handler: mount it with no body parser (`app.post('/invoiced/webhook', toExpressHandler(handler))`,
 * before `app.use(express.json())`) or after `express.raw({ type: 'application/json' })`. If a JSON or text
 * parser already consumed the body, the signature cannot be checked: it answers 500 saying so.
 *
 * @example
 * ```ts
 * import express from 'express';
 * declare const handler: WebRequestHandler; // createInvoicedWebhookHandler({ secret, connectionId, store })
 * const app = express();
 * app.post('/invoiced/webhook', toExpressHandler(handler));
 * app.use(express.json());
 * ```
 */
export function toExpressHandler(handler: WebRequestHandler): (req: ExpressLikeRequest, res: ServerResponse) => void {
  return (req, res) => {
    if (Buffer.isBuffer(req.body)) {
      void serve(handler, req, res, req.body);
    } else if (req.body === undefined && !req.readableEnded && (req as { _body?: unknown })._body !== true) {
      void serve(handler, req, res);
    } else {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ received: false, error: 'body_already_parsed', message: PARSED_MESSAGE }));
    }
  };
}

/** What the Fastify adapter uses of a Fastify request. */
export interface FastifyLikeRequest {
  readonly raw: IncomingMessage;
  readonly body?: unknown;
}

/** What the Fastify adapter uses of a Fastify reply. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(payload?: unknown): FastifyLikeReply;
}

/** What the Fastify plugin uses of the Fastify instance it is registered on. */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: never, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  all(path: string, handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>): unknown;
}

/**
 * A Fastify 5 plugin that serves the handler at `path`. It keeps every body as raw bytes (the signature
 * covers them), for its own routes only: register it without `fastify-plugin`, so that the rest of the app
 * keeps Fastify's JSON parser. Bodies over the handler's limit get Fastify's own 413.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * declare const handler: WebRequestHandler; // createInvoicedWebhookHandler({ secret, connectionId, store })
 * const app = Fastify();
 * await app.register(fastifyWebhookPlugin(handler, { path: '/invoiced/webhook' }));
 * ```
 */
export function fastifyWebhookPlugin(handler: WebRequestHandler, options: { path: string }): (instance: FastifyLikeInstance) => Promise<void> {
  const { path } = options;
  return (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limitOf(handler) }, (_request, body, done) => {
      done(null, body);
    });
    instance.all(path, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      const response = await handler(toRequest(request.raw, body));
      reply.code(response.status);
      response.headers.forEach((value, name) => {
        reply.header(name, value);
      });
      return reply.send(Buffer.from(await response.arrayBuffer()));
    });
    return Promise.resolve();
  };
}

/**
 * A Hono 4 handler: Hono's request is already a Web `Request` (`c.req.raw`), given to the handler as is.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * declare const handler: WebRequestHandler; // createInvoicedWebhookHandler({ secret, connectionId, store })
 * const app = new Hono();
 * app.all('/invoiced/webhook', honoWebhookHandler(handler));
 * ```
 */
export function honoWebhookHandler(handler: WebRequestHandler): (c: { readonly req: { readonly raw: Request } }) => Promise<Response> {
  return (c) => handler(c.req.raw);
}
