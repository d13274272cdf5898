import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  apiFailureKindOf,
  ConfigurationError,
  isApiError,
  isConfigurationError,
  isErrorOfClass,
  isNetSuiteSyncError,
  kindOfStatus,
  NetSuiteSyncError,
  ResponseValidationError,
  type ApiFailureKind,
} from './errors';
import { Redactor } from './internal/redact';
import { createInvoicedErrorFactory, InvoicedDuplicateMatchError, InvoicedPaginationError, InvoicedRateLimitError } from './invoiced/errors';
import { isMappingError, MappingError } from './mapping/errors';
import { createNetSuiteErrorFactory, NetSuiteAuthenticationError, NetSuiteRateLimitError } from './netsuite/errors';

const REQUEST = { method: 'GET', path: '/invoices/1' } as const;
const KINDS: readonly ApiFailureKind[] = [
  'authentication',
  'permission',
  'not_found',
  'invalid_request',
  'rate_limit',
  'server',
  'timeout',
  'connection',
  'invalid_response',
];

describe('kindOfStatus', () => {
  it.each([
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not_found'],
    [408, 'timeout'],
    [429, 'rate_limit'],
    [400, 'invalid_request'],
    [409, 'invalid_request'],
    [422, 'invalid_request'],
    [500, 'server'],
    [503, 'server'],
    [200, 'invalid_response'],
    [204, 'invalid_response'],
    [undefined, 'connection'],
  ] as const)('%s is %s', (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind);
  });
});

describe('the kind of every ApiError', () => {
  it('is derived from the status when nothing else says, and serialized', () => {
    const error = new ApiError('netsuite', 'Too many requests.', { ...REQUEST, code: 'X', status: 429 });
    expect(error.kind).toBe('rate_limit');
    expect(error.toJSON()).toMatchObject({ kind: 'rate_limit', status: 429 });
    expect(new ApiError('invoiced', 'No answer.', { ...REQUEST, code: 'X' }).kind).toBe('connection');
    expect(new ApiError('invoiced', 'Timed out.', { ...REQUEST, code: 'X', kind: 'timeout' }).kind).toBe('timeout');
  });

  it('is fixed by the classes of one failure, whatever the status', () => {
    expect(new NetSuiteRateLimitError('x', { ...REQUEST, code: 'X', status: 500 }).kind).toBe('rate_limit');
    expect(new NetSuiteAuthenticationError('x', { ...REQUEST, code: 'X', status: 400 }).kind).toBe('authentication');
    expect(new InvoicedRateLimitError('x', { ...REQUEST }).kind).toBe('rate_limit');
    expect(new ResponseValidationError('netsuite', 'x', { ...REQUEST, code: 'X', status: 200, issues: [] }).kind).toBe('invalid_response');
    // A list Invoiced answered but the SDK will not follow: the answer is unusable, not the request.
    expect(new InvoicedPaginationError('x', { ...REQUEST, status: 200, code: 'INVOICED_PAGINATION_LOOP' }).kind).toBe('invalid_response');
  });

  it.each(KINDS)('%s: both factories build a class of that kind', (kind) => {
    const info = { kind, context: { ...REQUEST, status: 418 }, body: undefined };
    const netsuite = createNetSuiteErrorFactory(new Redactor(), '1234567')(info);
    const invoiced = createInvoicedErrorFactory(new Redactor(), 1000)(info);
    for (const error of [netsuite, invoiced]) {
      expect(error.kind).toBe(kind);
      expect(error.toJSON()).toMatchObject({ kind });
      expect(apiFailureKindOf(error)).toBe(kind);
    }
  });

  it('is read for an error built outside the transport (it used to be undefined)', () => {
    const built = new NetSuiteRateLimitError('Built by hand.', { ...REQUEST, code: 'CONCURRENCY_LIMIT_EXCEEDED', status: 429 });
    expect(apiFailureKindOf(built)).toBe('rate_limit');
    expect(apiFailureKindOf(new ApiError('netsuite', 'x', { ...REQUEST, code: 'X', status: 503 }))).toBe('server');
  });

  it('is absent from errors that are not about a call', () => {
    const duplicate = new InvoicedDuplicateMatchError('invoice', '42', [1, 2]);
    expect(isApiError(duplicate)).toBe(false);
    expect(apiFailureKindOf(duplicate)).toBeUndefined();
    expect(apiFailureKindOf(new ConfigurationError('Bad.'))).toBeUndefined();
    expect(apiFailureKindOf(new MappingError('TOTAL_MISMATCH', 'Off by one.'))).toBeUndefined();
    expect(apiFailureKindOf(new Error('plain'))).toBeUndefined();
  });
});

describe('MappingError', () => {
  it('is a NetSuiteSyncError with its own fields', () => {
    const error = new MappingError('TOTAL_MISMATCH', 'Lines do not add up.', 'Check the lines.', 'INV-1', {
      entity: 'invoice',
      details: { invoicedTotal: '1.00' },
      cause: new Error('inner'),
    });
    expect(error).toBeInstanceOf(NetSuiteSyncError);
    expect(isNetSuiteSyncError(error)).toBe(true);
    expect(isMappingError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'MappingError', code: 'TOTAL_MISMATCH', resolution: 'Check the lines.', number: 'INV-1', entity: 'invoice' });
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.toJSON()).toEqual({
      name: 'MappingError',
      code: 'TOTAL_MISMATCH',
      message: 'Lines do not add up.',
      resolution: 'Check the lines.',
      number: 'INV-1',
      entity: 'invoice',
      details: { invoicedTotal: '1.00' },
    });
  });

  it('keeps the optional fields absent, and its brand through forRecord', () => {
    const error = new MappingError('INVALID_DATE', 'Not a date.');
    expect(error.resolution).toBeUndefined();
    expect(error.number).toBeUndefined();
    expect('cause' in error).toBe(false);
    expect(error.toJSON()).toEqual({ name: 'MappingError', code: 'INVALID_DATE', message: 'Not a date.' });
    const labelled = error.forRecord('invoice', 'INV-7');
    expect(isMappingError(labelled)).toBe(true);
    expect(labelled).toMatchObject({ number: 'INV-7', entity: 'invoice', code: 'INVALID_DATE' });
  });
});

describe('the guards', () => {
  it('follow the class chain', () => {
    const error = new NetSuiteRateLimitError('x', { ...REQUEST, code: 'X' });
    for (const name of ['NetSuiteSyncError', 'ApiError', 'NetSuiteApiError', 'NetSuiteRateLimitError']) expect(isErrorOfClass(error, name)).toBe(true);
    expect(isErrorOfClass(error, 'InvoicedApiError')).toBe(false);
    expect(isConfigurationError(error)).toBe(false);
    expect(isMappingError(error)).toBe(false);
    expect(isConfigurationError(new ConfigurationError('Bad.'))).toBe(true);
    expect(isApiError(new ConfigurationError('Bad.'))).toBe(false);
  });

  it('refuse look-alikes that carry no brand', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'ApiError', kind: 'rate_limit', code: 'X' });
    for (const value of [lookAlike, { name: 'ApiError' }, null, undefined, 'ApiError', 429]) {
      expect(isNetSuiteSyncError(value)).toBe(false);
      expect(isApiError(value)).toBe(false);
      expect(apiFailureKindOf(value)).toBeUndefined();
    }
  });

  it('recognize the errors of another copy of the package, where instanceof does not', async () => {
    vi.resetModules();
    const other = await import('./errors');
    const otherNetSuite = await import('./netsuite/errors');
    const otherInvoiced = await import('./invoiced/errors');
    const otherMapping = await import('./mapping/errors');
    expect(other.ApiError).not.toBe(ApiError);

    const theirs = [
      new otherNetSuite.NetSuiteRateLimitError('x', { ...REQUEST, code: 'X', status: 429 }),
      new otherInvoiced.InvoicedServerError('x', { ...REQUEST, status: 502 }),
    ];
    for (const error of theirs) {
      expect(error).not.toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(NetSuiteSyncError);
      expect(isApiError(error)).toBe(true);
      expect(isNetSuiteSyncError(error)).toBe(true);
    }
    expect(apiFailureKindOf(theirs[0])).toBe('rate_limit');
    expect(apiFailureKindOf(theirs[1])).toBe('server');
    expect(isErrorOfClass(theirs[1], 'InvoicedServerError')).toBe(true);

    const configuration = new other.ConfigurationError('Bad.');
    expect(configuration).not.toBeInstanceOf(ConfigurationError);
    expect(isConfigurationError(configuration)).toBe(true);
    const mapping = new otherMapping.MappingError('TOTAL_MISMATCH', 'Off.');
    expect(mapping).not.toBeInstanceOf(MappingError);
    expect(isMappingError(mapping)).toBe(true);
    expect(isNetSuiteSyncError(mapping)).toBe(true);

    // And the other way round: this copy's errors, seen by the other copy's guards.
    const ours = new NetSuiteAuthenticationError('x', { ...REQUEST, code: 'INVALID_LOGIN', status: 401 });
    expect(ours).not.toBeInstanceOf(other.ApiError);
    expect(other.isApiError(ours)).toBe(true);
    expect(other.apiFailureKindOf(ours)).toBe('authentication');
    expect(otherMapping.isMappingError(new MappingError('INVALID_DATE', 'x'))).toBe(true);
  });
});
