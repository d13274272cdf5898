/**
 * Credentials must never reach a log line, an error, an event or a stored row. The harness gives every
 * seed distinctive credentials and looks for each of them — whole, as a 16-character piece from its
 * middle (a secret cut short is still a leak), and for the API key as the Basic credentials it is sent
 * as — in everything a user of the SDK can read.
 */
import type { Secrets } from './scenario';

/** The strings whose presence is a leak. */
export function leakPatterns(secrets: Secrets): { name: string; value: string }[] {
  const patterns: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(secrets) as [keyof Secrets, string][]) {
    patterns.push({ name, value });
    const middle = Math.floor(value.length / 2) - 8;
    patterns.push({ name: `part of ${name}`, value: value.slice(middle, middle + 16) });
  }
  patterns.push({ name: 'apiKey as Basic credentials', value: Buffer.from(`${secrets.apiKey}:`).toString('base64') });
  return patterns;
}

/** Leaks found in `texts`, keyed by where each text came from. */
export function findLeaks(secrets: Secrets, texts: Iterable<[where: string, text: string]>): string[] {
  const patterns = leakPatterns(secrets);
  const leaks: string[] = [];
  for (const [where, text] of texts) {
    for (const pattern of patterns) {
      const at = text.indexOf(pattern.value);
      if (at >= 0) leaks.push(`${pattern.name} appears in ${where}: …${text.slice(Math.max(0, at - 60), at + pattern.value.length + 20)}…`);
    }
  }
  return leaks;
}
