/**
 * The logger option takes pino and console as they are: a logger with pino's API is called
 * `(fields, message)`, pino's order; console and `(message, fields)` loggers `(message, fields)`. The
 * types accept both (pino is described by a local type from its documented API, not imported).
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createSandbox } from '@invoiced/netsuite-sync-sandbox';
import { adaptLogger, isPinoLike } from './logger';
import { createNetSuiteClient, tokenBasedAuth, type Logger, type PinoLikeLogger, type PinoLogFn } from './index';

/** A stand-in for pino: its documented methods, `bindings()` and `levels.values`, printing as pino does (merging object, then msg). */
function fakePino(lines: Record<string, unknown>[]): PinoLikeLogger {
  const levels = { values: { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } };
  const method =
    (level: number): PinoLogFn =>
    (first: unknown, ...rest: unknown[]) => {
      // pino: an object first is merged into the line and the next argument is the message; a string
      // first is the message and what follows are printf values (dropped here, as pino drops unused ones).
      if (typeof first === 'object' && first !== null) lines.push({ level, ...first, msg: rest[0] });
      else lines.push({ level, msg: first });
    };
  return { debug: method(20), info: method(30), warn: method(40), error: method(50), bindings: () => ({}), levels };
}

let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('Logger', () => {
  it('accepts pino-shaped loggers, console, and (message, fields) objects as they are (types)', () => {
    expectTypeOf<PinoLikeLogger>().toExtend<Logger>();
    expectTypeOf(console).toExtend<Logger>();
    expectTypeOf<{ warn(message: string, fields?: Record<string, unknown>): void }>().toExtend<Logger>();
    const pinoLogger: PinoLikeLogger = fakePino([]);
    const options: Parameters<typeof createNetSuiteClient>[0]['logger'][] = [pinoLogger, console, { warn: () => undefined }];
    expect(options).toHaveLength(3);
  });

  it('calls a pino logger (fields, message), so its fields become properties of the line', () => {
    const lines: Record<string, unknown>[] = [];
    const pino = fakePino(lines);
    expect(isPinoLike(pino)).toBe(true);
    const logger = adaptLogger(pino);
    logger?.warn?.('record failed', { runId: 'r1', code: 'TOTAL_MISMATCH' });
    logger?.info?.('no fields');
    expect(lines).toEqual([
      { level: 40, runId: 'r1', code: 'TOTAL_MISMATCH', msg: 'record failed' },
      { level: 30, msg: 'no fields' },
    ]);
    expect(adaptLogger(pino)).toBe(logger);
  });

  it('calls console and other loggers (message, fields), as before', () => {
    const calls: unknown[][] = [];
    const consoleLike = { warn: (...args: unknown[]) => calls.push(args) };
    expect(isPinoLike(console)).toBe(false);
    expect(adaptLogger(consoleLike)).toBe(consoleLike);
    adaptLogger(consoleLike)?.warn?.('lease renewal failed', { error: 'x' });
    expect(calls).toEqual([['lease renewal failed', { error: 'x' }]]);
    expect(adaptLogger(undefined)).toBeUndefined();
  });

  it("gives a pino logger the NetSuite client's request entries with their fields", async () => {
    const sandbox = createSandbox({ seed: 3 });
    server = setupServer(...sandbox.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const lines: Record<string, unknown>[] = [];
    const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), logger: fakePino(lines) });
    await netsuite.suiteql('SELECT id FROM customer', { limit: 1 });
    const request = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('netsuite: request'));
    expect(request).toMatchObject({ level: 20, api: 'netsuite' });
    expect(Object.keys(request ?? {}).length).toBeGreaterThan(3);
  });
});
