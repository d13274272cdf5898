import { ConfigurationError } from '../errors';

/** Where a NetSuite account is reached and how requests to it are signed. */
export interface NetSuiteAccount {
  /** The account ID in NetSuite's canonical form: upper case with underscores, e.g. `1234567_SB1`. */
  readonly accountId: string;
  /** OAuth realm for token-based authentication: the canonical account ID. */
  readonly realm: string;
  /** Host of the REST web services: lower case with hyphens, e.g. `1234567-sb1.suitetalk.api.netsuite.com`. */
  readonly host: string;
  /** `https://` + host. */
  readonly baseUrl: string;
}

/**
 * Account IDs are letters and digits (production `1234567`, test drives `TSTDRV1234567`), optionally with
 * a sandbox or release-preview suffix (`_SB1`, `_RP`). The hyphenated host form (`1234567-sb1`) is
 * accepted too, since it is what users see in their browser's address bar.
 */
const ACCOUNT_ID_PATTERN = /^[A-Z0-9]*[0-9][A-Z0-9]*(?:_(?:SB|RP)[0-9]*)?$/;

const WHERE_TO_FIND =
  'In NetSuite, hover over Setup and open Company > Company Information: the Account ID field holds it ' +
  '(for example 1234567, or 1234567_SB1 for a sandbox).';

/**
 * Normalizes a NetSuite account ID and derives its realm and REST host.
 *
 * @example
 * ```ts
 * resolveNetSuiteAccount('1234567_sb1');
 * // { accountId: '1234567_SB1', realm: '1234567_SB1',
 * //   host: '1234567-sb1.suitetalk.api.netsuite.com', baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com' }
 * ```
 * @throws {ConfigurationError} `INVALID_ACCOUNT_ID` when the value is not of NetSuite's shape.
 */
export function resolveNetSuiteAccount(accountId: unknown): NetSuiteAccount {
  if (typeof accountId !== 'string' || accountId.trim() === '') {
    throw invalidAccountId('The NetSuite account ID is missing.');
  }
  const canonical = accountId.trim().toUpperCase().replace(/-/g, '_');
  if (!ACCOUNT_ID_PATTERN.test(canonical)) {
    const hint = /[./:]/.test(accountId)
      ? ' It looks like a URL or host name; give only the account ID part.'
      : '';
    throw invalidAccountId(`"${accountId.trim().slice(0, 40)}" is not a NetSuite account ID.${hint}`);
  }
  const host = `${canonical.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
  return { accountId: canonical, realm: canonical, host, baseUrl: `https://${host}` };
}

function invalidAccountId(message: string): ConfigurationError {
  return new ConfigurationError(message, {
    code: 'INVALID_ACCOUNT_ID',
    issues: [{ path: 'accountId', message: 'must be a NetSuite account ID such as 1234567 or 1234567_SB1' }],
    resolution: WHERE_TO_FIND,
  });
}
