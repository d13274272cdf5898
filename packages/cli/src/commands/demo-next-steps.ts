/**
 * What the demo prints last: the exact commands that start `netsuite-sync-sandbox` with the demo's NetSuite
 * books and run `netsuite-sync check` and `netsuite-sync sync` against it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';



/** Fixed ports, so that the printed connection works as printed (any free ports would do). */
export const SANDBOX_PORTS = { netsuite: 4610, invoiced: 4611 } as const;

/** The store the printed commands share, in the current directory. */
export const SANDBOX_STORE = 'sqlite:sandbox-state.db';

/** What the printed commands need to know about the demo's sandbox. */
export interface SandboxCommandsInput {
  readonly seed: number;
  readonly customers: number;
  readonly invoices: number;
  readonly payments: number;
  readonly accountId: string;
  readonly credentials: { readonly consumerKey: string; readonly consumerSecret: string; readonly tokenId: string; readonly tokenSecret: string };
  readonly apiKey: string;
  /** The settings the books need, as `--settings` reads them. */
  readonly settings: unknown;
  /** Where the commands run: in a clone of the repository they call its built files. */
  readonly cwd: string;
}

/** How the two commands are called from `cwd`: the repository's built files in a clone, else the installed commands. */
export function commandNames(cwd: string): { sandbox: string; cli: string } {
  const inClone = ['pnpm-workspace.yaml', 'packages/cli/dist/bin.js', 'packages/sandbox/dist/bin.js'].every((file) => existsSync(join(cwd, file)));
  return inClone
    ? { sandbox: 'node packages/sandbox/dist/bin.js', cli: 'node packages/cli/dist/bin.js' }
    : { sandbox: 'npx netsuite-sync-sandbox', cli: 'npx netsuite-sync' };
}

/**
 * The lines that say how to run the CLI against the same sandbox. The credentials are the sandbox's own,
 * derived from the seed (the sandbox prints them too): they open nothing but the simulator.
 */
export function sandboxCommands(input: SandboxCommandsInput): { intro: string; steps: { title: string; commands: string[] }[]; note: string } {
  const names = commandNames(input.cwd);
  const { consumerKey, consumerSecret, tokenId, tokenSecret } = input.credentials;
  const variables = [
    `NETSUITE_ACCOUNT_ID=${input.accountId}`,
    `NETSUITE_BASE_URL=http://127.0.0.1:${SANDBOX_PORTS.netsuite}`,
    `NETSUITE_CONSUMER_KEY=${consumerKey}`,
    `NETSUITE_CONSUMER_SECRET=${consumerSecret}`,
    `NETSUITE_TOKEN_ID=${tokenId}`,
    `NETSUITE_TOKEN_SECRET=${tokenSecret}`,
    `INVOICED_API_KEY=${input.apiKey}`,
    `INVOICED_BASE_URL=http://127.0.0.1:${SANDBOX_PORTS.invoiced}`,
  ];
  const options = `--env-file sandbox.env --settings sandbox-settings.json --store ${SANDBOX_STORE}`;
  return {
    intro: 'Run the CLI against the same sandbox yourself, in two terminals, from this directory:',
    steps: [
      {
        title: 'Start the sandbox with these generated books (it prints its URLs and credentials, and runs until Ctrl+C):',
        commands: [
          `${names.sandbox} --seed ${input.seed} --customers ${input.customers} --invoices ${input.invoices} --payments ${input.payments} --netsuite-port ${SANDBOX_PORTS.netsuite} --invoiced-port ${SANDBOX_PORTS.invoiced}`,
        ],
      },
      {
        title: "In another terminal, write the connection and the settings the sandbox's books need, then check, sync and read Recent Syncs:",
        commands: [
          `printf '%s\\n' ${variables.join(' ')} > sandbox.env`,
          `printf '%s\\n' '${JSON.stringify(input.settings)}' > sandbox-settings.json`,
          `${names.cli} check ${options}`,
          `${names.cli} sync ${options}`,
          `${names.cli} runs --store ${SANDBOX_STORE}`,
        ],
      },
    ],
    note: `The credentials are the sandbox's own for seed ${input.seed}: they open nothing else. The sandbox starts over when restarted: delete sandbox-state.db then. docs/testing-with-the-sandbox.md in the netsuite-sync source repository lists its IDs.`,
  };
}
