/**
 * How the connection check describes a failed request: the generic problem of any error, and the
 * diagnoses of refused NetSuite credentials, an unreachable NetSuite, and a refused Invoiced key.
 */
import { ApiError, NetSuiteSyncError } from '../errors';
import type { InvoicedClient } from '../invoiced/client';
import { InvoicedAuthenticationError } from '../invoiced/errors';
import type { NetSuiteClient } from '../netsuite/client';
import { NetSuiteAuthenticationError, NetSuiteConnectionError } from '../netsuite/errors';
import { NETSUITE_TOKEN_PATH } from '../netsuite/oauth2';
import type { ProblemFacts } from './check-types';

/** Problems any error can be described as: its own code, message and resolution. */
export function describeGenericError(error: unknown): ProblemFacts {
  if (error instanceof NetSuiteSyncError) {
    return {
      code: error.code,
      message: error.message,
      resolution: error.resolution ?? 'See the error catalogue (docs/errors.md) for this code.',
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return {
    code: 'UNEXPECTED_CHECK_ERROR',
    message: `The check failed with an unexpected ${name}${error instanceof Error ? `: ${error.message}` : ''}.`,
    resolution: 'This is not an answer NetSuite or Invoiced is known to give. Run the check again; if it persists, report it with this message.',
  };
}

/** Failures after which the side's other reads would fail the same way. */
function stopsSide(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === undefined || error.status >= 500 || error.status === 429;
}

export function describeNetSuiteError(netsuite: NetSuiteClient, error: unknown) {
  const generic = describeGenericError(error);
  if (error instanceof NetSuiteAuthenticationError && !error.path.startsWith(NETSUITE_TOKEN_PATH)) {
    const { accountId } = netsuite.account;
    return {
      authentication: true,
      stopsSide: true,
      problem: {
        ...generic,
        message: `NetSuite account ${accountId} refused the credentials (${error.code}).`,
        resolution:
          `Check, in this order: (1) the account ID: ${accountId} must be the account the token was created in (Setup > Company > Company Information > Account ID; a sandbox ends in _SB1, _SB2...); ` +
          '(2) Token-Based Authentication and REST Web Services are enabled (Setup > Company > Enable Features > SuiteCloud); ' +
          '(3) the consumer key and secret are those of an integration record with Token-Based Authentication checked (Setup > Integration > Manage Integrations); ' +
          "(4) the token ID and secret are those of an access token of that integration, for a user and a role, not revoked (Setup > Users/Roles > Access Tokens), and the user still has that role; " +
          "(5) the role has Setup > Log in using Access Tokens and Setup > REST Web Services; (6) this machine's clock is right. " +
          'Setup > Users/Roles > User Management > View Login Audit Trail shows the reason NetSuite gives.',
      },
    };
  }
  if (error instanceof NetSuiteAuthenticationError) return { authentication: true, stopsSide: true, problem: generic };
  if (error instanceof NetSuiteConnectionError) {
    return {
      authentication: false,
      stopsSide: true,
      problem: {
        ...generic,
        resolution:
          `NetSuite could not be reached at ${netsuite.baseUrl}. Unless baseUrl was given, that host comes from the account ID ${netsuite.accountId}: ` +
          'check the account ID (Setup > Company > Company Information), then the network, DNS and any proxy.',
      },
    };
  }
  return { authentication: false, stopsSide: stopsSide(error), problem: generic };
}

export function describeInvoicedError(invoiced: InvoicedClient, error: unknown) {
  const generic = describeGenericError(error);
  if (error instanceof InvoicedAuthenticationError) {
    const where =
      invoiced.environment === 'production'
        ? `The key was sent to Invoiced's production API (${invoiced.baseUrl}). A key of Invoiced's sandbox only works there with \`sandbox: true\`; a production key must be copied again from Settings > Developers > API Keys in the production account.`
        : invoiced.environment === 'sandbox'
          ? `The key was sent to Invoiced's sandbox API (${invoiced.baseUrl}). A production key does not work there: drop \`sandbox: true\` to use it, or copy a key from Settings > Developers > API Keys in the sandbox account.`
          : `The key was sent to ${invoiced.baseUrl}. Check that baseUrl is the API of the environment (production or sandbox) the key was created in, and the key itself (Settings > Developers > API Keys).`;
    return {
      authentication: true,
      stopsSide: true,
      problem: { ...generic, message: `Invoiced refused the API key (${invoiced.environment}).`, resolution: `${where} Keys are per account and per environment; a deleted key is refused.` },
    };
  }
  return { authentication: false, stopsSide: stopsSide(error), problem: generic };
}
