/**
 * Request bodies as Invoiced reads them: "form-encoded or JSON-encoded" (the reference's introduction).
 * A JSON body is read only when it is sent as `application/json` (or `application/x-json`); a form body
 * (`application/x-www-form-urlencoded`) is read PHP-style, `applied_to[0][amount]=800` becoming nested
 * fields; a body of any other type is not read at all, as if none had been sent.
 */
import { invalidRequest } from './errors';

/** Marks a body that came form-encoded: its values are strings, which the schemas then read leniently. */
const FORM_ENCODED: unique symbol = Symbol('invoiced.form-encoded');

/** Whether `body` was decoded from a form. */
export function isFormEncoded(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { [FORM_ENCODED]?: true })[FORM_ENCODED] === true;
}

/** `copy` marked as form-encoded when `source` was (for a body rebuilt from another). */
export function withFormMark<T extends object>(source: unknown, copy: T): T {
  if (isFormEncoded(source)) Object.defineProperty(copy, FORM_ENCODED, { value: true, enumerable: false });
  return copy;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

type FormNode = { [key: string]: FormNode | string };

/** `a[b][0]` -> `['a', 'b', '0']`; `a[]` appends. Anything after an unclosed bracket is part of the name, as in PHP. */
function keyPath(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0) return [name];
  const path = [name.slice(0, open)];
  const rest = name.slice(open);
  const parts = [...rest.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? '');
  return parts.length === 0 ? [name] : [...path, ...parts];
}

/** Objects keyed 0..n-1 become arrays, as PHP lists encode to JSON. */
function toValues(node: FormNode | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const values = keys.map((key) => toValues(node[key] as FormNode | string));
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? values : Object.fromEntries(keys.map((key, index) => [key, values[index]]));
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/** Decodes `application/x-www-form-urlencoded` text into nested fields with string values. */
export function parseForm(text: string): Record<string, unknown> {
  const root: FormNode = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    if (name === '') continue;
    let node = root;
    const path = keyPath(name);
    path.forEach((segment, index) => {
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      const child = node[key];
      node = typeof child === 'object' ? child : (node[key] = {});
    });
  }
  const values = toValues(root);
  const fields = (Array.isArray(values) ? { ...values } : values) as Record<string, unknown>;
  Object.defineProperty(fields, FORM_ENCODED, { value: true, enumerable: false });
  return fields;
}

/** The fields of a request body, read by its `Content-Type`; `{}` for a body Invoiced would not read. */
export function readBody(contentType: string | null, text: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json' || type === 'application/x-json') {
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalidRequest('The request body is not valid JSON.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return parseForm(text);
  return {};
}
