/**
 * A store that cannot connect says so: why (refused, host not found, timeout, authentication, no such
 * database...), what the network or the server answered, and what to check about the connection, never
 * advice about schema permissions, and never the password.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connectionFailureOf, PostgresStoreError, wrapDatabaseError } from './errors';
import { postgresStore } from './index';

/** An error as Node.js or the server gives it: a message, a code, and for the server a severity. */
const driverError = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe('connection failures', () => {
  it.each([
    ['refused', driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5432 })],
    ['host_not_found', driverError('getaddrinfo ENOTFOUND db.internal', { code: 'ENOTFOUND' })],
    ['unreachable', driverError('connect EHOSTUNREACH 10.0.0.9:5432', { code: 'EHOSTUNREACH' })],
    ['timeout', driverError('timeout expired')],
    ['timeout', driverError('Connection terminated due to connection timeout')],
    ['closed', driverError('Connection terminated unexpectedly')],
    ['tls', driverError('The server does not support SSL connections')],
    ['authentication_failed', driverError('password authentication failed for user "sync"', { code: '28P01', severity: 'FATAL' })],
    ['authentication_failed', driverError('role "sync" does not exist', { code: '28000', severity: 'FATAL' })],
    ['authentication_failed', driverError('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')],
    ['database_not_found', driverError('database "books" does not exist', { code: '3D000', severity: 'FATAL' })],
    ['server_unavailable', driverError('sorry, too many clients already', { code: '53300', severity: 'FATAL' })],
  ])('tells %s apart, with what was answered and what to check instead of schema advice', (reason, error) => {
    expect(connectionFailureOf(error)).toEqual({ reason, answer: error.message });
    const wrapped = wrapDatabaseError('migrate', error, { resolution: 'Check that the role may create the schema.' });
    expect(wrapped.message).toBe(`The Postgres store's migrate failed: no connection to its server (${reason.replace(/_/g, ' ')}): ${error.message}`);
    expect(wrapped.resolution).not.toContain('schema');
    expect(wrapped.connectionFailure?.reason).toBe(reason);
    expect(wrapped.toJSON()).toMatchObject({ connectionFailure: { reason } });
  });

  it('reads the addresses of an AggregateError, which has no message of its own', () => {
    const both = Object.assign(new AggregateError([driverError('connect ECONNREFUSED ::1:5432'), driverError('connect ECONNREFUSED 127.0.0.1:5432')], ''), { code: 'ECONNREFUSED' });
    expect(connectionFailureOf(both)).toEqual({ reason: 'refused', answer: 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('leaves other errors alone: a missing privilege keeps the resolution of the operation', () => {
    const denied = driverError('permission denied for schema netsuite_sync', { code: '42501', severity: 'ERROR' });
    expect(connectionFailureOf(denied)).toBeUndefined();
    const wrapped = wrapDatabaseError('migrate', denied, { resolution: 'Check that the role may create the schema.' });
    expect(wrapped.resolution).toBe('Check that the role may create the schema.');
    expect(wrapped.connectionFailure).toBeUndefined();
  });

  it('says that a server that refuses the connection refused it, naming host and port but not the password', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://app:s3cret-pass@127.0.0.1:1/prod', connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    try {
      const error = await postgresStore({ pool }).ready().then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(PostgresStoreError);
      const failure = error as PostgresStoreError;
      expect(failure.connectionFailure).toEqual({ reason: 'refused', answer: 'connect ECONNREFUSED 127.0.0.1:1' });
      expect(failure.message).toContain('no connection to its server (refused): connect ECONNREFUSED 127.0.0.1:1');
      expect(failure.resolution).toContain('Nothing accepts connections at that host and port');
      expect(`${failure.message} ${JSON.stringify(failure)} ${failure.stack ?? ''}`).not.toContain('s3cret-pass');
    } finally {
      await pool.end();
    }
  });
});
