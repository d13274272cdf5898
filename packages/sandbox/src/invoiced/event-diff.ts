/**
 * Two pieces of PHP behaviour the events and webhooks repeat: how Invoiced computes an update event's
 * `previous` (its backend's `ActivityLog/Libs/DiffCalculator.php`, chriscouch/invoiced-mcp under
 * `packages/invoiced-support/docs/backend-dev/src/`) and how PHP's `json_encode` writes a webhook body
 * with its default flags (`Webhooks/EventSubscriber/WebhookSubscriber.php`): `/` as `\/` and every
 * character outside ASCII as a `\uXXXX` escape of its UTF-16 code units.
 */

type Plain = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/** PHP's `isset`: present and not null. */
const isSet = (record: Plain, key: string): boolean => record[key] !== undefined && record[key] !== null;

/** PHP truthiness of a decoded JSON value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== '' && value !== '0';
}

/** A list (PHP array with numeric keys): an array, or an empty object (PHP's `[]`). */
const isList = (value: unknown): boolean => Array.isArray(value) || (isObject(value) && Object.keys(value).length === 0);

function asRecord(value: unknown): Plain {
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item as unknown]));
  return isObject(value) ? value : {};
}

/**
 * The old values of what changed between two renderings, as Invoiced's `previous`: a field added (now
 * truthy, before absent or null) is `null`; a field removed is its old value; a changed list is the old
 * list whole; a changed object is the diff of its fields; a changed scalar is its old value (an integer
 * and a float of the same value are the same). A diff of `updated_at` alone is no diff.
 */
export function diffPrevious(before: unknown, after: unknown): Record<string, unknown> {
  const old = asRecord(before);
  const now = asRecord(after);
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(now)) {
    if (!isSet(old, key) && truthy(value)) diff[key] = null;
  }
  for (const [key, value] of Object.entries(old)) {
    if (!isSet(now, key) && value !== null && value !== undefined) {
      diff[key] = value;
      continue;
    }
    if (typeof value === 'object' && value !== null) {
      const nested = diffPrevious(value, now[key]);
      if (Object.keys(nested).length > 0) diff[key] = isList(value) ? value : nested;
      continue;
    }
    if (isSet(now, key) && now[key] !== value) diff[key] = value;
  }
  const keys = Object.keys(diff);
  if (keys.length === 1 && keys[0] === 'updated_at') return {};
  return diff;
}

/** JSON as PHP's `json_encode` writes it with no flags (a webhook body; the signature is over these bytes). */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
