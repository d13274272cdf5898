/**
 * The command lines the CLI prints as hints (`netsuite-sync runs <id>`, the command that resumes an
 * import...), rebuilt from the options in effect so that they reach the same connection, store, settings
 * and services when run as printed, quoted for a POSIX shell, and never holding a secret.
 */
import type { Env } from './config';
import type { GlobalFlags } from './context';

/** Words a POSIX shell reads as they are, unquoted. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * A word quoted for a POSIX shell: as it is when it has nothing the shell would read, else in single
 * quotes (a single quote inside becomes `'\''`).
 * @example shellQuote("sqlite:./my state.db") // "'sqlite:./my state.db'"
 */
export function shellQuote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * What the hinted command needs: `store` reads the store only (`runs`, `retry <key>`, `ignore`), `services`
 * also talks to NetSuite and Invoiced with the settings (`sync`, `import --job`).
 */
export type HintScope = 'store' | 'services';

/** The store value to print, or `undefined` when the hinted command finds the same store without it. */
function storeWords(store: string | undefined, env: Env, readsState: boolean): { words: string[]; comment: string | undefined } {
  if (store === undefined) return { words: [], comment: undefined };
  if (store.trim() === 'memory' && !readsState) return { words: ['--store', 'memory'], comment: undefined };
  if (store.trim() === 'memory') return { words: ['--store', 'memory'], comment: 'the memory store kept nothing after the command that printed this: use --store sqlite:<file> or a Postgres URL to keep runs and jobs' };
  const fromEnvironment = env.DATABASE_URL?.trim();
  // Without --store, the store of DATABASE_URL is used: the same one, and its password is not printed.
  if (fromEnvironment !== undefined && fromEnvironment !== '' && store.trim() === fromEnvironment) return { words: [], comment: undefined };
  if (URL.canParse(store)) {
    const url = new URL(store);
    if (url.password !== '') {
      url.password = '***';
      return { words: ['--store', shellQuote(url.toString())], comment: '*** stands for the password, never printed; or set DATABASE_URL and leave out --store' };
    }
  }
  return { words: ['--store', shellQuote(store)], comment: undefined };
}

/**
 * The command line of `netsuite-sync <args>` with the options that make it reach the same state as the
 * command that prints it: `--connection` (unless `default`), `--store`, `--env-file`, and for `services`
 * the settings and the connection flags. Output options (`--json`, `--verbose`...) are left out. A
 * store's password is never printed: a comment at the end says what stands for it. `readsState: false`
 * (a new `sync`) leaves out the comment that the memory store kept nothing. Print it at the end of a line,
 * so that the comment ends the line.
 *
 * @example commandLine(['runs', 'run-1'], flags, env, 'store') // "netsuite-sync runs run-1 --connection acme --store 'sqlite:./my state.db'"
 */
export function commandLine(args: readonly string[], flags: GlobalFlags, env: Env, scope: HintScope, options: { readsState?: boolean } = {}): string {
  const words = ['netsuite-sync', ...args.map(shellQuote)];
  if (flags.connection !== 'default') words.push('--connection', shellQuote(flags.connection));
  const store = storeWords(flags.store, env, options.readsState ?? true);
  words.push(...store.words);
  if (flags.envFile !== undefined) words.push('--env-file', shellQuote(flags.envFile));
  if (scope === 'services') {
    const pairs: [string, string | undefined][] = [
      ['--settings', flags.settings],
      ['--account-id', flags.accountId],
      ['--netsuite-base-url', flags.netsuiteBaseUrl],
      ['--invoiced-base-url', flags.invoicedBaseUrl],
    ];
    for (const [option, value] of pairs) if (value !== undefined) words.push(option, shellQuote(value));
    if (flags.invoicedSandbox) words.push('--invoiced-sandbox');
  }
  return store.comment === undefined ? words.join(' ') : `${words.join(' ')}  # ${store.comment}`;
}
