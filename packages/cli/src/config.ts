/**
 * The CLI's configuration: NetSuite and Invoiced credentials from environment variables (or an
 * `--env-file`), the non-secret parts also from flags, and the sync settings from an optional JSON file.
 * Validated with zod; a missing value is an error naming the variable and where to find its value.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigurationError, parseSyncSettings, type SyncSettings } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { CliError } from './errors';
import { ENVIRONMENT_VARIABLES, type VariableName } from './variables';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

export { ENVIRONMENT_VARIABLES } from './variables';
export type { VariableName } from './variables';

/** Variables whose values are secret: never printed, and masked in anything the CLI writes. */
export const SECRET_VARIABLES = ['NETSUITE_CONSUMER_KEY', 'NETSUITE_CONSUMER_SECRET', 'NETSUITE_TOKEN_ID', 'NETSUITE_TOKEN_SECRET', 'INVOICED_API_KEY'] as const;

/** Flags that override variables (only values that are not secret: secrets on a command line end up in shell histories and `ps`). */
export interface ConnectionFlags {
  readonly accountId?: string | undefined;
  readonly netsuiteBaseUrl?: string | undefined;
  readonly invoicedBaseUrl?: string | undefined;
  readonly invoicedSandbox?: boolean | undefined;
}

/** The validated connection configuration. */
export interface ConnectionConfig {
  readonly netsuite: {
    readonly accountId: string;
    readonly baseUrl: string | undefined;
    readonly credentials: { readonly consumerKey: string; readonly consumerSecret: string; readonly tokenId: string; readonly tokenSecret: string };
  };
  readonly invoiced: { readonly apiKey: string; readonly sandbox: boolean; readonly baseUrl: string | undefined };
}

const required = z.string({ error: 'is not set' }).trim().min(1, { error: 'is not set' });
const optionalUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .optional();
const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: "must be 'true' or 'false'" }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes')
  .optional();

const connectionSchema = z.object({
  NETSUITE_ACCOUNT_ID: required,
  NETSUITE_CONSUMER_KEY: required,
  NETSUITE_CONSUMER_SECRET: required,
  NETSUITE_TOKEN_ID: required,
  NETSUITE_TOKEN_SECRET: required,
  NETSUITE_BASE_URL: optionalUrl,
  INVOICED_API_KEY: required,
  INVOICED_SANDBOX: booleanText,
  INVOICED_BASE_URL: optionalUrl,
});

/** Empty variables count as unset. */
const value = (env: Env, name: string): string | undefined => {
  const text = env[name];
  return text === undefined || text.trim() === '' ? undefined : text;
};

/**
 * The connection configuration from flags and variables. Throws a {@link CliError} (exit 64) listing
 * every missing or invalid variable with where to find its value; never a value itself.
 */
export function resolveConnectionConfig(env: Env, flags: ConnectionFlags): ConnectionConfig {
  const input = {
    NETSUITE_ACCOUNT_ID: flags.accountId ?? value(env, 'NETSUITE_ACCOUNT_ID'),
    NETSUITE_CONSUMER_KEY: value(env, 'NETSUITE_CONSUMER_KEY'),
    NETSUITE_CONSUMER_SECRET: value(env, 'NETSUITE_CONSUMER_SECRET'),
    NETSUITE_TOKEN_ID: value(env, 'NETSUITE_TOKEN_ID'),
    NETSUITE_TOKEN_SECRET: value(env, 'NETSUITE_TOKEN_SECRET'),
    NETSUITE_BASE_URL: flags.netsuiteBaseUrl ?? value(env, 'NETSUITE_BASE_URL'),
    INVOICED_API_KEY: value(env, 'INVOICED_API_KEY'),
    INVOICED_SANDBOX: flags.invoicedSandbox === true ? 'true' : value(env, 'INVOICED_SANDBOX'),
    INVOICED_BASE_URL: flags.invoicedBaseUrl ?? value(env, 'INVOICED_BASE_URL'),
  };
  const parsed = connectionSchema.safeParse(input);
  if (!parsed.success) {
    const flagOf: Partial<Record<VariableName, string>> = {
      NETSUITE_ACCOUNT_ID: '--account-id',
      NETSUITE_BASE_URL: '--netsuite-base-url',
      INVOICED_BASE_URL: '--invoiced-base-url',
      INVOICED_SANDBOX: '--invoiced-sandbox',
    };
    const problems = new Map<VariableName, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]) as VariableName;
      if (!problems.has(name)) problems.set(name, issue.message);
    }
    const missing = [...problems].filter(([, message]) => message === 'is not set').map(([name]) => name);
    const lines = [...problems].map(([name, message]) => {
      const flag = flagOf[name];
      const label = flag === undefined ? name : `${name} (or ${flag})`;
      return `  ${label} ${message}: ${ENVIRONMENT_VARIABLES[name]}.`;
    });
    const headline =
      missing.length === problems.size
        ? `Missing configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`
        : `Invalid configuration: ${[...problems.keys()].join(', ')}.`;
    throw new CliError(`${headline}\n${lines.join('\n')}`, {
      code: missing.length === problems.size ? 'MISSING_CONFIGURATION' : 'INVALID_CONFIGURATION',
      resolution:
        'Set them in the environment, or in a file of KEY=value lines given with --env-file. `netsuite-sync --help` lists every variable; docs/connecting-to-netsuite.md in the netsuite-sync source repository shows how to create the NetSuite values.',
    });
  }
  const data = parsed.data;
  return {
    netsuite: {
      accountId: data.NETSUITE_ACCOUNT_ID,
      baseUrl: data.NETSUITE_BASE_URL,
      credentials: {
        consumerKey: data.NETSUITE_CONSUMER_KEY,
        consumerSecret: data.NETSUITE_CONSUMER_SECRET,
        tokenId: data.NETSUITE_TOKEN_ID,
        tokenSecret: data.NETSUITE_TOKEN_SECRET,
      },
    },
    invoiced: { apiKey: data.INVOICED_API_KEY, sandbox: data.INVOICED_SANDBOX ?? false, baseUrl: data.INVOICED_BASE_URL },
  };
}

/** The secret values in an environment (the credentials, and the password of `DATABASE_URL`), to mask. */
export function secretValuesOf(env: Env): string[] {
  const secrets: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const text = value(env, name);
    if (text !== undefined) secrets.push(text, text.trim());
  }
  const databaseUrl = value(env, 'DATABASE_URL');
  if (databaseUrl !== undefined) secrets.push(...passwordsOf(databaseUrl));
  return secrets;
}

/** The password of a connection string, raw and decoded, if it has one. */
export function passwordsOf(connectionString: string): string[] {
  if (!URL.canParse(connectionString)) return [];
  const { password } = new URL(connectionString);
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape: the raw form is masked.
  }
  return [password, decoded];
}

/**
 * The environment with the variables of an env file (`KEY=value` lines, as Node's `--env-file` reads
 * them) added; variables already set in the environment win, as with Node's `--env-file`.
 */
export async function withEnvFile(env: Env, path: string | undefined, cwd: string): Promise<Env> {
  if (path === undefined) return env;
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the env file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, {
      code: 'ENV_FILE_UNREADABLE',
      resolution: 'Check the path given with --env-file (relative paths start from the current directory).',
    });
  }
  const fromFile = parseEnv(text);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, text] of Object.entries(env)) if (text !== undefined) merged[name] = text;
  return merged;
}

/**
 * Reads and validates a settings file (JSON, the object `createSyncEngine({ settings })` takes), or returns
 * the defaults when there is none. Exit 64 for an unreadable file, invalid JSON or an invalid setting.
 */
export async function loadSettings(path: string | undefined, cwd: string): Promise<SyncSettings> {
  if (path === undefined) return parseSyncSettings({});
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the settings file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, {
      code: 'SETTINGS_FILE_UNREADABLE',
      resolution: 'Check the path given with --settings (relative paths start from the current directory).',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The settings file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, {
      code: 'SETTINGS_FILE_INVALID_JSON',
      resolution: 'Fix the JSON (a settings file is one JSON object, e.g. {"items": {"defaultItem": "1"}}); docs/configuration.md in the netsuite-sync source repository shows a full example.',
    });
  }
  try {
    return parseSyncSettings(json);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new CliError(`${file}: ${error.message}`, {
      code: error.code,
      resolution: error.resolution ?? 'Correct the settings named in the message; docs/configuration.md in the netsuite-sync source repository lists every setting.',
    });
  }
}

/** The pattern of connection IDs, as the engine checks it. */
const CONNECTION_ID = /^[\w.:-]{1,200}$/;

/** Checks `--connection`; exit 64 when it is not 1 to 200 of `A-Z a-z 0-9 _ . : -`. */
export function checkConnectionId(connectionId: string): string {
  if (!CONNECTION_ID.test(connectionId)) {
    throw new CliError(`--connection must be 1 to 200 letters, digits, or _ . : - (got ${JSON.stringify(connectionId.slice(0, 40))}).`, {
      code: 'INVALID_CONNECTION_ID',
      resolution: 'Name the connection with letters, digits and _ . : - only, e.g. --connection acme-prod.',
    });
  }
  return connectionId;
}
