/**
 * The Node.js version `netsuite-sync` needs, checked by `bin.ts` before it loads anything else: on an
 * older Node.js, a module such as `node:sqlite` fails to load with a message that says nothing of the
 * version. This file imports nothing, so that it loads on any Node.js.
 */

/** The oldest Node.js the CLI runs on (its package.json `engines`): 22.13, the first with `node:sqlite` unflagged. */
export const MINIMUM_NODE_VERSION = '22.13.0';

/** The exit code of a configuration error (`EXIT_CODES.usage`), repeated here to import nothing. */
export const UNSUPPORTED_NODE_EXIT_CODE = 64;

/** `[major, minor, patch]` of `22.13.1` or `v22.13.1`; `undefined` for anything else. */
function parts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * The message for a Node.js older than {@link MINIMUM_NODE_VERSION}, or `undefined` when `version` (as
 * `process.versions.node` gives it) is recent enough. A version that cannot be read is let through.
 * @example nodeVersionProblem('20.11.1') // "netsuite-sync needs Node.js 22.13.0 or later; this is Node.js 20.11.1. ..."
 */
export function nodeVersionProblem(version: string): string | undefined {
  const found = parts(version);
  const needed = parts(MINIMUM_NODE_VERSION);
  if (found === undefined || needed === undefined) return undefined;
  for (let index = 0; index < 3; index += 1) {
    const a = found[index] ?? 0;
    const b = needed[index] ?? 0;
    if (a > b) return undefined;
    if (a < b) {
      return [
        `error: netsuite-sync needs Node.js ${MINIMUM_NODE_VERSION} or later; this is Node.js ${version.replace(/^v/, '')}.`,
        '  → Install Node.js 22.13 or later (22 LTS or 24 LTS), e.g. with nvm: nvm install 24, then run the command again.',
        '',
      ].join('\n');
    }
  }
  return undefined;
}
