/**
 * Redaction of credentials before anything reaches an error, a `cause`, a log line or a stored row.
 *
 * A client registers a function that lists its current secret values (consumer secret, token secret,
 * API key, access token...). Every string that leaves the client passes through {@link Redactor.redact},
 * which removes those values in raw, percent-encoded and Basic-encoded form, and any credential-shaped
 * header value whatever its source.
 */

const MASK = '[REDACTED]';
/** Values shorter than this are not treated as secrets: masking them would garble ordinary text. */
const MIN_SECRET_LENGTH = 6;

/**
 * Credential-shaped text that is masked even if no secret source listed it: Authorization header values,
 * OAuth parameters, tokens in form or JSON bodies, PEM private keys. Each pattern needs a token-like value
 * (a digit or one of `+/=.`), so prose such as "OAuth 2.0" or "Basic authentication" is left alone.
 */
const CREDENTIAL_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\bOAuth\s+(?:realm|oauth_)[^\r\n]*/gi, `OAuth ${MASK}`],
  [/\b(Bearer|Basic)\s+(?=[A-Za-z0-9._~+/=-]*[0-9+/=.])[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  [/\b(oauth_(?:signature|token|consumer_key|nonce))=("[^"]*"|[^&\s,]*)/gi, `$1=${MASK}`],
  [/\b(client_assertion|access_token|refresh_token)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]+/gi, `$1$2${MASK}`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, MASK],
];

export type SecretSource = () => Iterable<string | undefined | null>;

export class Redactor {
  readonly #sources: SecretSource[] = [];

  constructor(...sources: SecretSource[]) {
    this.#sources.push(...sources);
  }

  /** Adds a source of secret values (read each time something is redacted, so rotating values are covered). */
  add(source: SecretSource): void {
    this.#sources.push(source);
  }

  #secretForms(): string[] {
    const forms = new Set<string>();
    for (const source of this.#sources) {
      for (const value of source()) {
        if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
        forms.add(value);
        forms.add(encodeURIComponent(value));
        forms.add(Buffer.from(`${value}:`).toString('base64'));
        forms.add(Buffer.from(value).toString('base64'));
      }
    }
    // Longest first, so a secret that contains another is masked whole.
    return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** Returns `text` with every known secret and credential-shaped value masked. */
  redact(text: string): string {
    let result = text;
    for (const form of this.#secretForms()) result = result.split(form).join(MASK);
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }

  /** Deeply redacts strings inside a plain value (for log fields). */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return this.sanitizeError(value);
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = /^(authorization|proxy-authorization|cookie|api[-_]?key|password|secret)$/i.test(key)
        ? MASK
        : this.redactValue(item, depth + 1);
    }
    return out;
  }

  /**
   * A copy of an underlying error that is safe to attach as a `cause`: same name, redacted message and
   * stack, the Node.js error `code` if any, and its own cause chain sanitized the same way. Properties
   * such as a `request` object (whose headers hold credentials) are deliberately not copied.
   */
  sanitizeError(error: unknown, depth = 0): Error {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    const copy = new Error(this.redact(error.message));
    copy.name = error.name;
    copy.stack = error.stack === undefined ? undefined : this.redact(error.stack);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
    if (error.cause !== undefined && depth < 4) copy.cause = this.sanitizeError(error.cause, depth + 1);
    return copy;
  }
}
