/**
 * Points every published package at the repository once its URL is known:
 *
 *   node scripts/set-repository-url.mjs <https URL of the repository> [workspace root]
 *
 * In each packages/<dir>/package.json it sets `repository` (`git+<url>.git`, `directory: packages/<dir>`),
 * `homepage` (the package's folder on the default branch) and `bugs` (`<url>/issues`). In each
 * packages/<dir>/README.md it turns the links that only work inside a clone (`../../docs/cli.md`,
 * `../netsuite-sync`) into absolute links to the same files on the default branch, so that they also work
 * from an installed package, whose tarball holds no docs/ folder. Running it again with the same URL
 * changes nothing. packages/cli/test/package-links.test.ts checks the result.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

const BRANCH = 'main';

/** The repository URL without a trailing slash or `.git`; throws on anything but an https URL. */
export function normalizeRepositoryUrl(text) {
  const url = new URL(text);
  if (url.protocol !== 'https:') throw new Error(`The repository URL must be https, got ${url.protocol}`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\.git$/, '');
}

/** The three package.json fields of the package in packages/<dir>. */
export function packageFields(url, dir) {
  return {
    repository: { type: 'git', url: `git+${url}.git`, directory: `packages/${dir}` },
    homepage: `${url}/tree/${BRANCH}/packages/${dir}#readme`,
    bugs: { url: `${url}/issues` },
  };
}

/** A README of packages/<dir> with its relative links made absolute (anchors and absolute links stay). */
export function absoluteLinks(readme, url, dir) {
  return readme.replace(/\]\((?!#|[a-z][a-z0-9+.-]*:)([^)\s]+)\)/gi, (_match, target) => {
    const [path = '', anchor] = target.split('#');
    const inRepository = posix.normalize(posix.join('packages', dir, path));
    const kind = /\.[a-z0-9]+$/i.test(inRepository) ? 'blob' : 'tree';
    return `](${url}/${kind}/${BRANCH}/${inRepository}${anchor === undefined ? '' : `#${anchor}`})`;
  });
}

/** `package.json` text with the fields set after `license` (or at the end), two-space indented. */
function withFields(text, fields) {
  const manifest = JSON.parse(text);
  const entries = Object.entries(manifest).filter(([key]) => !(key in fields));
  const at = entries.findIndex(([key]) => key === 'license') + 1 || entries.length;
  entries.splice(at, 0, ...Object.entries(fields));
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [urlText, rootText = resolve(new URL('..', import.meta.url).pathname)] = process.argv.slice(2);
  if (urlText === undefined) {
    process.stderr.write('Usage: node scripts/set-repository-url.mjs <https URL of the repository> [workspace root]\n');
    process.exit(64);
  }
  const url = normalizeRepositoryUrl(urlText);
  const packagesDir = join(rootText, 'packages');
  for (const dir of readdirSync(packagesDir)) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    writeFileSync(manifestPath, withFields(readFileSync(manifestPath, 'utf8'), packageFields(url, dir)));
    const readmePath = join(packagesDir, dir, 'README.md');
    if (existsSync(readmePath)) writeFileSync(readmePath, absoluteLinks(readFileSync(readmePath, 'utf8'), url, dir));
    process.stdout.write(`packages/${dir}: repository, homepage, bugs${existsSync(readmePath) ? ', README links' : ''}\n`);
  }
}
