/**
 * The headers of an answer the default exchange received, as the Fetch standard's `Headers` reads them:
 * names compared without case, a name's values joined with ", " (each `Set-Cookie` kept apart by
 * `getSetCookie`), iterated in the order of their lowercased names. Built from Node's raw headers without
 * the runtime's own `Headers`, whose first use loads the whole `fetch` implementation into the process (some
 * 15 MB) that the default exchange does not otherwise need.
 *
 * Not part of the public API (the clients' types say `Headers`, which it is).
 */

/** Characters the Fetch standard allows in a header name (an HTTP token). */
const TOKEN = /^[!#$%&'*+\-.^`|~\w]+$/;

export class ResponseHeaders implements Headers {
  readonly #values = new Map<string, string[]>();

  /**
   * @param raw Node's `rawHeaders`: names and values, one after the other.
   * @throws {TypeError} for a name or value `Headers` would refuse.
   */
  constructor(raw: readonly string[] = []) {
    for (let index = 0; index + 1 < raw.length; index += 2) this.append(raw[index] as string, raw[index + 1] as string);
  }

  append(name: string, value: string): void {
    const key = checkedName(name);
    const values = this.#values.get(key);
    if (values === undefined) this.#values.set(key, [checkedValue(value)]);
    else values.push(checkedValue(value));
  }

  delete(name: string): void {
    this.#values.delete(checkedName(name));
  }

  get(name: string): string | null {
    return this.#values.get(checkedName(name))?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  has(name: string): boolean {
    return this.#values.has(checkedName(name));
  }

  set(name: string, value: string): void {
    this.#values.set(checkedName(name), [checkedValue(value)]);
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#list()) callback.call(thisArg, value, key, this);
  }

  entries(): HeadersIterator<[string, string]> {
    return this.#list()[Symbol.iterator]();
  }

  keys(): HeadersIterator<string> {
    return this.#list().map(([key]) => key)[Symbol.iterator]();
  }

  values(): HeadersIterator<string> {
    return this.#list().map(([, value]) => value)[Symbol.iterator]();
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** The Fetch standard's "sort and combine": by name, each `Set-Cookie` on its own. */
  #list(): [string, string][] {
    const names = [...this.#values.keys()].sort();
    return names.flatMap((key): [string, string][] => {
      const values = this.#values.get(key) ?? [];
      return key === 'set-cookie' ? values.map((value): [string, string] => [key, value]) : [[key, values.join(', ')]];
    });
  }
}

function checkedName(name: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
  return name.toLowerCase();
}

function checkedValue(value: string): string {
  const trimmed = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (/[\0\n\r]/.test(trimmed)) throw new TypeError('Invalid header value.');
  return trimmed;
}
