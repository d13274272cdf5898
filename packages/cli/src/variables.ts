/**
 * The environment variables the CLI reads, and where a person finds each value: in a module of its own,
 * with no imports, so that `netsuite-sync --help` lists them without loading zod or the SDK.
 */

/** The variables the CLI reads, and where a person finds each value. */
export const ENVIRONMENT_VARIABLES = {
  NETSUITE_ACCOUNT_ID:
    'the NetSuite account ID: in NetSuite, Setup > Company > Company Information, field Account ID (1234567, or 1234567_SB1 for a sandbox)',
  NETSUITE_CONSUMER_KEY:
    "the integration record's consumer key: shown once when the integration record is saved (Setup > Integration > Manage Integrations); for Invoiced's bundle, Invoiced support provides it",
  NETSUITE_CONSUMER_SECRET: "the integration record's consumer secret, shown once together with the consumer key",
  NETSUITE_TOKEN_ID: "the access token's TOKEN ID: Setup > Users/Roles > Access Tokens > New, shown once when the token is created",
  NETSUITE_TOKEN_SECRET: "the access token's TOKEN SECRET, shown once together with the token ID",
  NETSUITE_BASE_URL: 'optional: a URL that replaces the REST host derived from the account ID (a proxy, or the sandbox)',
  INVOICED_API_KEY: 'the Invoiced API key: in Invoiced, Settings > Developers > New API Key (a sandbox key also needs INVOICED_SANDBOX=true)',
  INVOICED_SANDBOX: "optional: 'true' to use Invoiced's sandbox environment (api.sandbox.invoiced.com)",
  INVOICED_BASE_URL: "optional: a URL that replaces Invoiced's API host (a proxy, or the sandbox)",
  DATABASE_URL: 'optional: postgres://user:password@host:5432/database, the Postgres server of the store when --store is not given',
} as const;

/** A variable the CLI reads. */
export type VariableName = keyof typeof ENVIRONMENT_VARIABLES;
