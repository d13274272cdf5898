import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { resolveNetSuiteAccount } from './account';

describe('resolveNetSuiteAccount', () => {
  it.each([
    ['1234567', '1234567', 'https://1234567.suitetalk.api.netsuite.com'],
    ['1234567_SB1', '1234567_SB1', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['1234567_sb1', '1234567_SB1', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['1234567-SB2', '1234567_SB2', 'https://1234567-sb2.suitetalk.api.netsuite.com'],
    [' 1234567_RP ', '1234567_RP', 'https://1234567-rp.suitetalk.api.netsuite.com'],
    ['TSTDRV1234567', 'TSTDRV1234567', 'https://tstdrv1234567.suitetalk.api.netsuite.com'],
  ])('derives realm and host from %j', (input, realm, baseUrl) => {
    const account = resolveNetSuiteAccount(input);
    expect(account.realm).toBe(realm);
    expect(account.accountId).toBe(realm);
    expect(account.baseUrl).toBe(baseUrl);
    expect(account.host).toBe(account.host.toLowerCase());
  });

  it.each(['', '   ', 'acme', '1234567.app.netsuite.com', 'https://1234567.app.netsuite.com', '1234 567', '1234567_XX1', "1234567'; --", 42, undefined])(
    'refuses %j and says where to find the account ID',
    (input) => {
      expect(() => resolveNetSuiteAccount(input)).toThrow(ConfigurationError);
      try {
        resolveNetSuiteAccount(input);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        const configError = error as ConfigurationError;
        expect(configError.code).toBe('INVALID_ACCOUNT_ID');
        expect(configError.resolution).toContain('Company > Company Information');
      }
    },
  );

  it('points out that a URL was given instead of an account ID', () => {
    expect(() => resolveNetSuiteAccount('1234567.app.netsuite.com')).toThrow(/URL or host name/);
  });
});
