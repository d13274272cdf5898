import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { exportPKCS8, generateKeyPair } from 'jose';
import { delay, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, NetSuiteSyncError, ResponseValidationError } from '../errors';
import { tokenBasedAuth } from './auth';
import { createNetSuiteClient, type NetSuiteClient } from './client';
import {
  NetSuiteApiError,
  NetSuiteAuthenticationError,
  NetSuiteConnectionError,
  NetSuiteInvalidRequestError,
  NetSuiteNotFoundError,
  NetSuitePermissionError,
  NetSuiteRateLimitError,
  NetSuiteServerError,
  NetSuiteTimeoutError,
} from './errors';
import { NETSUITE_TOKEN_PATH, oauthClientCredentials } from './oauth2';
import {
  ACCOUNT_ID,
  bearerVerifier,
  FAST_RETRIES,
  parseOAuthHeader,
  recordingLogger,
  route,
  TBA_CREDENTIALS,
  useMockServer,
  type ReceivedRequest,
} from './test-support';

const server = useMockServer();
const INVOICE = '/services/rest/record/v1/invoice/1';
/**
 * Plain HTTP on purpose: with msw 3 intercepting at the socket level, an https request aborted by a
 * timeout leaves a stale OpenSSL error behind in this Node.js, and the next private-key import (in the
 * following OAuth 2.0 test) fails with it. The secrets under test do not depend on the scheme.
 */
const BASE = 'http://1234567-sb1.suitetalk.netsuite.test';

/** Everything the server was sent that could identify the caller, echoed back in every field it controls. */
const echo = (request: ReceivedRequest) => `Authorization: ${request.headers.get('authorization') ?? ''} | body: ${request.body} | at ${request.url.href}`;
const operation = (name: string) => ({ 'x-n-operationid': `op-${name}` });
const failure = (status: number, code: string) => (request: ReceivedRequest) =>
  HttpResponse.json(
    { type: echo(request), title: echo(request), status, 'o:errorDetails': [{ detail: `Refused. ${echo(request)}`, 'o:errorCode': code, 'o:errorPath': echo(request), 'o:errorQueryParam': echo(request) }] },
    { status, headers: operation(String(status)) },
  );

type ErrorClass = abstract new (...args: never[]) => Error;
interface Scenario {
  readonly respond: (request: ReceivedRequest) => Response | Promise<Response>;
  readonly expected: readonly [ErrorClass, number | undefined, string, string | undefined] | undefined;
}

/** Every way a record read can end; each server answer repeats the caller's credentials back. */
const SCENARIOS: Record<string, Scenario> = {
  '401': { respond: failure(401, 'INVALID_LOGIN'), expected: [NetSuiteAuthenticationError, 401, 'INVALID_LOGIN', 'op-401'] },
  '403': { respond: failure(403, 'INSUFFICIENT_PERMISSION'), expected: [NetSuitePermissionError, 403, 'INSUFFICIENT_PERMISSION', 'op-403'] },
  '404': { respond: failure(404, 'NONEXISTENT_ID'), expected: [NetSuiteNotFoundError, 404, 'NONEXISTENT_ID', 'op-404'] },
  '400': { respond: failure(400, 'USER_ERROR'), expected: [NetSuiteInvalidRequestError, 400, 'USER_ERROR', 'op-400'] },
  '429 after every retry': { respond: failure(429, 'CONCURRENCY_LIMIT_EXCEEDED'), expected: [NetSuiteRateLimitError, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'op-429'] },
  '500': { respond: failure(500, 'UNEXPECTED_ERROR'), expected: [NetSuiteServerError, 500, 'UNEXPECTED_ERROR', 'op-500'] },
  '502 with an HTML body': {
    respond: (request) => HttpResponse.html(`<html><body><h1>502 Bad Gateway</h1><pre>${echo(request)}</pre></body></html>`, { status: 502, headers: operation('502') }),
    expected: [NetSuiteServerError, 502, 'SERVER_ERROR', 'op-502'],
  },
  timeout: { respond: async () => (await delay(250), HttpResponse.json({ id: '1' })), expected: [NetSuiteTimeoutError, undefined, 'TIMEOUT', undefined] },
  'dropped connection': { respond: () => HttpResponse.error(), expected: [NetSuiteConnectionError, undefined, 'CONNECTION_FAILED', undefined] },
  'a 2xx body that is not JSON': {
    respond: (request) => HttpResponse.text(echo(request), { status: 200, headers: operation('text') }),
    expected: [ResponseValidationError, 200, 'INVALID_RESPONSE', 'op-text'],
  },
  'a record that fails validation': {
    respond: (request) => HttpResponse.json({ id: '1', memo: echo(request), total: echo(request) }, { headers: operation('invalid') }),
    expected: [ResponseValidationError, 200, 'INVALID_RESPONSE', 'op-invalid'],
  },
  success: { respond: () => HttpResponse.json({ id: '1', entity: { id: '7' } }, { headers: operation('ok') }), expected: undefined },
};

async function outcome(client: NetSuiteClient): Promise<unknown> {
  try {
    await client.records.get('invoice', '1');
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Every text form an error can take: its message, stack, String, JSON and inspection, down its cause chain. */
function renderings(error: unknown): string[] {
  const texts = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true })];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth += 1) {
    texts.push(current.message, current.stack ?? '', String(current), JSON.stringify(current) ?? '', inspect(current, { depth: 10, showHidden: true }));
  }
  return texts;
}

/** Fails listing where each secret was found, with the secret itself masked in the report. */
function expectNoSecrets(texts: readonly string[], secrets: ReadonlySet<string>) {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const text of texts) {
      const at = text.indexOf(secret);
      if (at !== -1) leaks.push(`${secret.length}-char secret after ${JSON.stringify(text.slice(Math.max(0, at - 80), at))}`);
    }
  }
  expect(leaks).toEqual([]);
}

describe('every failure kind (token-based authentication)', () => {
  it.each(Object.entries(SCENARIOS).filter(([, scenario]) => scenario.expected !== undefined))('%s gives a complete, typed error', async (_, scenario) => {
    server.use(route('GET', INVOICE, scenario.respond, { baseUrl: BASE }));
    const client = createNetSuiteClient({ accountId: ACCOUNT_ID, baseUrl: BASE, auth: tokenBasedAuth(TBA_CREDENTIALS), retries: FAST_RETRIES, timeoutMs: 40 });
    const error = await outcome(client);
    const [errorClass, status, code, requestId] = scenario.expected ?? [Error, undefined, '', undefined];
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(NetSuiteSyncError);
    if (!(error instanceof ResponseValidationError)) expect(error).toBeInstanceOf(NetSuiteApiError);
    const apiError = error as ApiError;
    expect(apiError).toMatchObject({ api: 'netsuite', status, code, requestId, method: 'GET', path: INVOICE });
    expect(apiError.resolution).toEqual(expect.stringMatching(/^.{20,}$/));
    const present = Object.fromEntries(Object.entries({ status, requestId }).filter(([, value]) => value !== undefined));
    expect(JSON.parse(JSON.stringify(apiError))).toEqual({
      name: apiError.name,
      code,
      message: apiError.message,
      resolution: apiError.resolution,
      api: 'netsuite',
      kind: apiError.kind,
      method: 'GET',
      path: INVOICE,
      ...present,
      ...(error instanceof ResponseValidationError ? { issues: expect.any(Array) as unknown } : { details: expect.any(Array) as unknown }),
    });
  });
});

describe('secrets never leave the client', () => {
  let privateKeyPem = '';
  beforeAll(async () => {
    privateKeyPem = await exportPKCS8((await generateKeyPair('PS256', { extractable: true })).privateKey);
  });

  /** The secrets of an OAuth 2.0 client: its key, each of its base64 lines, and every token and assertion exchanged. */
  function oauth2Fixture(tokenEndpoint?: (request: ReceivedRequest) => Response) {
    // Each full base64 line of the key too (a PEM's last line can be a few characters: too short to mean anything).
    const secrets = new Set<string>([privateKeyPem, ...privateKeyPem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))]);
    const tokens = new Set<string>();
    const tokenHandler = route(
      'POST',
      NETSUITE_TOKEN_PATH,
      (request) => {
        const assertion = new URLSearchParams(request.body).get('client_assertion');
        if (assertion !== null) secrets.add(assertion);
        if (tokenEndpoint !== undefined) return tokenEndpoint(request);
        const token = `${randomBytes(20).toString('base64url')}.${randomBytes(40).toString('base64url')}`;
        tokens.add(token);
        secrets.add(token);
        return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: 3600 });
      },
      { verify: false, baseUrl: BASE },
    );
    const auth = oauthClientCredentials({ clientId: 'client-1', certificateId: 'cert-1', privateKey: privateKeyPem });
    return { secrets, tokenHandler, auth, verify: bearerVerifier((token) => tokens.has(token)) };
  }

  function tbaFixture() {
    const secrets = new Set<string>(Object.values(TBA_CREDENTIALS));
    return { secrets, auth: tokenBasedAuth(TBA_CREDENTIALS) };
  }

  /** Runs a read against `respond` and collects the headers the server saw as secrets too. */
  async function run(fixture: { secrets: Set<string>; auth: ReturnType<typeof tokenBasedAuth> }, respond: Scenario['respond'], verify?: ReturnType<typeof bearerVerifier>) {
    const logger = recordingLogger();
    server.use(
      route(
        'GET',
        INVOICE,
        (request) => {
          const authorization = request.headers.get('authorization') ?? '';
          fixture.secrets.add(authorization);
          const signature = parseOAuthHeader(authorization)?.oauth_signature;
          if (signature !== undefined) fixture.secrets.add(signature);
          return respond(request);
        },
        { baseUrl: BASE, ...(verify === undefined ? {} : { verify }) },
      ),
    );
    const client = createNetSuiteClient({ accountId: ACCOUNT_ID, baseUrl: BASE, auth: fixture.auth, retries: FAST_RETRIES, timeoutMs: 40, logger });
    const error = await outcome(client);
    return { error, logger };
  }

  it.each(Object.entries(SCENARIOS))('TBA: %s leaks no credential into the error or the logs', async (_, scenario) => {
    const fixture = tbaFixture();
    const { error, logger } = await run(fixture, scenario.respond);
    expect(error === undefined).toBe(scenario.expected === undefined);
    expect(logger.calls.length).toBeGreaterThan(0);
    expectNoSecrets([...renderings(error), JSON.stringify(logger.calls)], fixture.secrets);
  });

  it.each(Object.entries(SCENARIOS))('OAuth 2.0: %s leaks no key, token or assertion into the error or the logs', async (_, scenario) => {
    const fixture = oauth2Fixture();
    server.use(fixture.tokenHandler);
    const { error, logger } = await run(fixture, scenario.respond, fixture.verify);
    expect(error === undefined).toBe(scenario.expected === undefined);
    expect(logger.calls.length, inspect(error)).toBeGreaterThan(0);
    expect(fixture.secrets.size).toBeGreaterThan(3);
    expectNoSecrets([...renderings(error), JSON.stringify(logger.calls)], fixture.secrets);
  });

  it.each([
    ['400 invalid_client', 400],
    ['401 invalid_grant', 401],
    ['500 server error', 500],
  ])('OAuth 2.0: a token endpoint answering %s and echoing the assertion leaks nothing', async (_, status) => {
    const fixture = oauth2Fixture((request) =>
      HttpResponse.json({ error: status === 401 ? 'invalid_grant' : 'invalid_client', error_description: `Bad assertion. Received: ${request.body}` }, { status }),
    );
    server.use(fixture.tokenHandler);
    const { error, logger } = await run(fixture, () => HttpResponse.json({ id: '1' }), fixture.verify);
    expect(error).toBeInstanceOf(NetSuiteApiError);
    expect(fixture.secrets.size).toBeGreaterThan(3);
    expectNoSecrets([...renderings(error), JSON.stringify(logger.calls)], fixture.secrets);
  });

  it.each([
    ['TBA', () => ({ ...tbaFixture(), verify: undefined })],
    ['OAuth 2.0', () => oauth2Fixture()],
  ])('%s: an error detail that repeats the Authorization header keeps its text but masks the credential', async (_, make) => {
    const fixture = make();
    if ('tokenHandler' in fixture) server.use(fixture.tokenHandler);
    const { error } = await run(fixture, failure(400, 'USER_ERROR'), fixture.verify);
    expect(error).toBeInstanceOf(NetSuiteInvalidRequestError);
    const detail = (error as NetSuiteInvalidRequestError).detail ?? '';
    expect(detail).toMatch(/^Refused\. Authorization: (OAuth|Bearer) \[REDACTED\]/);
    expectNoSecrets(renderings(error), fixture.secrets);
  });
});
