/**
 * Where the CLI writes: results to stdout, progress and diagnostics to stderr. Every write passes through
 * a redactor that masks the secrets of the configuration, so that no credential is ever printed, whatever
 * an error or a service said. Colours only on a terminal, and never when `NO_COLOR` is set.
 */

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface CliStream {
  write(chunk: string): unknown;
  /** `true` on a terminal: progress bars and colours are used only then. */
  readonly isTTY?: boolean | undefined;
  /** Width of the terminal, for progress bars. */
  readonly columns?: number | undefined;
}

const MASK = '[REDACTED]';
/** Shorter values are not masked: that would garble ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Masks known secret values (raw, URL-encoded and Base64 forms) in text. */
export class SecretMask {
  #forms: string[] = [];

  /** Adds secret values; empty and short ones are ignored. */
  add(values: Iterable<string | undefined>): void {
    const forms = new Set(this.#forms);
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(Buffer.from(value).toString('base64'));
      forms.add(Buffer.from(`${value}:`).toString('base64'));
    }
    // Longest first, so that a secret containing another is masked whole.
    this.#forms = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** `text` with every known secret masked. */
  redact(text: string): string {
    let result = text;
    for (const form of this.#forms) if (result.includes(form)) result = result.split(form).join(MASK);
    return result;
  }
}

/** ANSI styles, or plain text when colours are off. */
export interface Styles {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** Colours for a stream: on only for a terminal, and never with `NO_COLOR` (any non-empty value). */
export function stylesFor(stream: CliStream, env: Readonly<Record<string, string | undefined>>): Styles {
  const enabled = stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
  return enabled
    ? { enabled, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) }
    : { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
}

/** The output of one command. */
export class Output {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** `--json`: one JSON document on stdout, no human text there. */
  readonly json: boolean;
  /** Styles of stdout. */
  readonly style: Styles;
  /** Styles of stderr. */
  readonly errStyle: Styles;
  readonly mask: SecretMask;
  readonly #verbose: boolean;

  constructor(options: { stdout: CliStream; stderr: CliStream; env: Readonly<Record<string, string | undefined>>; json: boolean; verbose: boolean; mask: SecretMask }) {
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.json = options.json;
    this.#verbose = options.verbose;
    this.mask = options.mask;
    this.style = stylesFor(options.stdout, options.env);
    this.errStyle = stylesFor(options.stderr, options.env);
  }

  /** A line of the command's human result, on stdout; nothing with `--json`. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${this.mask.redact(text)}\n`);
  }

  /** A line about what is going on, on stderr (also with `--json`, whose stdout stays one document). */
  note(text: string): void {
    this.stderr.write(`${this.mask.redact(text)}\n`);
  }

  /** Raw text on stderr (progress bars), masked. */
  rawErr(text: string): void {
    this.stderr.write(this.mask.redact(text));
  }

  /** With `--json`: the command's one JSON document, on stdout. */
  document(value: unknown): void {
    if (this.json) this.stdout.write(`${this.mask.redact(JSON.stringify(value, jsonReplacer, 2))}\n`);
  }

  /** A diagnostic line, with `--verbose` only. */
  debug(text: string): void {
    if (this.#verbose) this.note(this.errStyle.dim(text));
  }

  /** An error with what to do, on stderr. */
  error(message: string, resolution: string | null): void {
    this.note(`${this.errStyle.red('error:')} ${message}`);
    if (resolution !== null) this.note(`  ${this.errStyle.dim('→')} ${resolution}`);
  }
}

/** Errors without a `toJSON` of their own (the SDK's have one) are written by name and message. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const withJson = value as Error & { toJSON?: () => unknown };
    return typeof withJson.toJSON === 'function' ? withJson.toJSON() : { name: value.name, message: value.message };
  }
  return value;
}
