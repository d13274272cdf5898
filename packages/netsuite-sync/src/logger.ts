/**
 * How the SDK calls the logger it is given (see {@link Logger}): a logger with pino's API is called
 * `(fields, message)`, pino's order (the fields become properties of its JSON line); any other logger
 * `(message, fields)`. Each entry point adapts the logger once, and the rest of the SDK calls the adapted
 * logger `(message, fields)`.
 */
import type { Logger } from './options';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Whether `logger` has pino's API: a `bindings()` function and a `levels.values` map of numbers. */
export function isPinoLike(logger: object): boolean {
  const candidate = logger as { bindings?: unknown; levels?: { values?: unknown } };
  const values = candidate.levels?.values;
  return typeof candidate.bindings === 'function' && typeof values === 'object' && values !== null && typeof (values as Record<string, unknown>).info === 'number';
}

const adapted = new WeakMap<object, Logger>();

/**
 * The logger the SDK calls `(message, fields)`: the logger itself, or for a pino logger one that calls it
 * `(fields, message)` (`(message)` alone when there are no fields): `warn('record failed', { code })`
 * reaches pino as `warn({ code }, 'record failed')`. Methods keep their `this`.
 */
export function adaptLogger(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined || logger === null || typeof logger !== 'object' || !isPinoLike(logger)) return logger;
  const known = adapted.get(logger);
  if (known !== undefined) return known;
  const target = logger as unknown as Record<string, unknown>;
  const result: Logger = {};
  for (const level of LEVELS) {
    if (typeof target[level] !== 'function') continue;
    result[level] = (message: string, fields?: Record<string, unknown>) => {
      const method = target[level] as (...args: unknown[]) => void;
      if (fields === undefined) method.call(logger, message);
      else method.call(logger, fields, message);
    };
  }
  adapted.set(logger, result);
  return result;
}
