/**
 * What every command works with: its output, flags and environment, the interruption signal, and
 * helpers that open the store, build the two clients and the engine, and close everything at the end.
 */
import type { InvoicedClient, Logger, NetSuiteClient, SyncEngine, SyncEvent, SyncSettings, SyncStore } from '@invoiced/netsuite-sync';
import { loadSettings, resolveConnectionConfig, type Env } from './config';
import { postgresConnectionError } from './errors';
import { commandLine, type HintScope } from './hint';
import type { Output } from './output';
import { openStore, parseStoreSpec, type OpenStore, type OpenStoreOptions } from './store';

/** The options every command takes. */
export interface GlobalFlags {
  readonly connection: string;
  readonly store: string | undefined;
  readonly settings: string | undefined;
  readonly envFile: string | undefined;
  readonly accountId: string | undefined;
  readonly netsuiteBaseUrl: string | undefined;
  readonly invoicedBaseUrl: string | undefined;
  readonly invoicedSandbox: boolean;
  readonly json: boolean;
  readonly progress: boolean;
  readonly verbose: boolean;
}

/** The two clients of a connection. */
export interface Clients {
  readonly netsuite: NetSuiteClient;
  readonly invoiced: InvoicedClient;
}

/** What a command runs with. */
export class CommandContext {
  readonly #closers: (() => Promise<void>)[] = [];
  #store: Promise<OpenStore> | undefined;

  constructor(
    readonly output: Output,
    readonly flags: GlobalFlags,
    /** The environment, with the `--env-file` variables added. */
    readonly env: Env,
    readonly cwd: string,
    /** Aborted on Ctrl-C / SIGTERM. */
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Whether the command was interrupted. */
  get interrupted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /**
   * The command line of `netsuite-sync <args>` that reaches the same connection, store (and, for
   * `services`, settings and services) as this command, quoted for a POSIX shell, without any secret.
   */
  hint(args: readonly string[], scope: HintScope, options: { readsState?: boolean } = {}): string {
    return commandLine(args, this.flags, this.env, scope, options);
  }

  /** Runs `close` when the command ends (last registered, first run). */
  defer(close: () => Promise<void>): void {
    this.#closers.push(close);
  }

  /** Closes what the command opened; a closer that fails is reported with `--verbose` only. */
  async close(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.output.debug(`closing: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** A logger for the SDK: warnings and errors with `--verbose`, on stderr (the SDK never logs a secret). */
  get logger(): Logger | undefined {
    if (!this.flags.verbose) return undefined;
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      this.output.debug(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }

  /**
   * Opens the store of `--store` (or `DATABASE_URL`, or the default SQLite file `.netsuite-sync/state.db`),
   * once per command (`defaultSpec` replaces the default; `options` apply to the first call); closed at the end.
   */
  openStore(defaultSpec?: string, options: OpenStoreOptions = {}): Promise<OpenStore> {
    this.#store ??= (async () => {
      const spec = parseStoreSpec(this.flags.store ?? defaultSpec, this.env.DATABASE_URL);
      let opened: OpenStore;
      try {
        opened = await openStore(spec, this.cwd, options);
      } catch (error) {
        const source = this.flags.store === undefined ? 'from DATABASE_URL' : 'from --store';
        throw (spec.kind === 'postgres' ? postgresConnectionError(error, spec.url, source) : undefined) ?? error;
      }
      this.defer(() => opened.close());
      this.output.debug(`store: ${opened.description}`);
      return opened;
    })();
    return this.#store;
  }

  /**
   * The NetSuite and Invoiced clients from the configuration (exit 64 when something is missing). The
   * SDK's factories are imported here, when a command asks for them, not when this module loads.
   */
  async clients(): Promise<Clients> {
    const config = resolveConnectionConfig(this.env, this.flags);
    const { createInvoicedClient, createNetSuiteClient, tokenBasedAuth } = await import('@invoiced/netsuite-sync');
    const logger = this.logger;
    const netsuite = createNetSuiteClient({
      accountId: config.netsuite.accountId,
      auth: tokenBasedAuth(config.netsuite.credentials),
      ...(config.netsuite.baseUrl === undefined ? {} : { baseUrl: config.netsuite.baseUrl }),
      ...(logger === undefined ? {} : { logger }),
    });
    const invoiced = createInvoicedClient({
      apiKey: config.invoiced.apiKey,
      sandbox: config.invoiced.sandbox,
      baseUrl: config.invoiced.baseUrl,
      logger,
    });
    return { netsuite, invoiced };
  }

  /** The sync settings of `--settings`, or the defaults. */
  settings(): Promise<SyncSettings> {
    return loadSettings(this.flags.settings, this.cwd);
  }

  /**
   * The engine of `--connection`: clients and settings are checked before the store is opened, so that a
   * configuration error costs nothing.
   */
  async engine(options: { onEvent?: (event: SyncEvent) => void; clients?: Clients; settings?: SyncSettings; store?: SyncStore } = {}): Promise<SyncEngine> {
    const clients = options.clients ?? (await this.clients());
    const settings = options.settings ?? (await this.settings());
    const store = options.store ?? (await this.openStore()).store;
    const { createSyncEngine } = await import('@invoiced/netsuite-sync');
    return createSyncEngine({
      ...clients,
      store,
      connectionId: this.flags.connection,
      settings,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(this.logger === undefined ? {} : { logger: this.logger }),
    });
  }
}
