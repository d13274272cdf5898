/**
 * The published packages' READMEs must link to pages that exist from an installed package (its tarball has
 * no docs/ folder), and `repository`, `homepage` and `bugs` must agree across packages.
 * scripts/set-repository-url.mjs sets them all from the repository's URL; this test runs it on a copy of
 * the packages and checks the result, and checks the packages as they are.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'set-repository-url.mjs');
const URL_OF_TEST = 'https://code.example.test/acme/netsuite-sync';

interface Manifest {
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
}

/** packages/<dir> that have a package.json, under `root`. */
const packageDirs = (root: string) => readdirSync(join(root, 'packages')).filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')));
const manifestOf = (root: string, dir: string) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest;
const readmeOf = (root: string, dir: string) => (existsSync(join(root, 'packages', dir, 'README.md')) ? readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8') : '');
/** Link targets of a Markdown text, images included. */
const linksOf = (markdown: string) => [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
/** Targets that resolve only inside a clone: relative paths (in-page anchors are fine). */
const relativeLinks = (markdown: string) => linksOf(markdown).filter((target) => !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target));

/** Problems of the packages under `root`: fields that disagree, and relative links once a repository is set. */
function problemsOf(root: string): string[] {
  const problems: string[] = [];
  const dirs = packageDirs(root);
  const urls = new Set(dirs.map((dir) => manifestOf(root, dir).repository?.url ?? '(none)'));
  if (urls.size > 1) problems.push(`packages disagree on repository.url: ${[...urls].join(', ')}`);
  for (const dir of dirs) {
    const manifest = manifestOf(root, dir);
    const url = manifest.repository?.url;
    if (url === undefined) {
      if (manifest.homepage !== undefined || manifest.bugs !== undefined) problems.push(`packages/${dir}: homepage or bugs without repository`);
      continue;
    }
    const base = url.replace(/^git\+/, '').replace(/\.git$/, '');
    if (manifest.repository?.directory !== `packages/${dir}`) problems.push(`packages/${dir}: repository.directory is ${manifest.repository?.directory ?? 'missing'}`);
    if (!manifest.homepage?.startsWith(`${base}/`)) problems.push(`packages/${dir}: homepage is not under ${base}`);
    if (manifest.bugs?.url !== `${base}/issues`) problems.push(`packages/${dir}: bugs.url is not ${base}/issues`);
    for (const target of relativeLinks(readmeOf(root, dir))) problems.push(`packages/${dir}/README.md: ${target} does not exist in an installed package`);
  }
  return problems;
}

describe('package links and repository fields', () => {
  let copy: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    copy = await tempDir();
    for (const dir of packageDirs(ROOT)) {
      mkdirSync(join(copy.path, 'packages', dir), { recursive: true });
      for (const file of ['package.json', 'README.md']) if (existsSync(join(ROOT, 'packages', dir, file))) cpSync(join(ROOT, 'packages', dir, file), join(copy.path, 'packages', dir, file));
    }
  });
  afterAll(() => copy.remove());

  it('agree across the packages as they are (none set, or all set from one URL)', () => {
    expect(problemsOf(ROOT)).toEqual([]);
  });

  it('scripts/set-repository-url.mjs sets the three fields and makes every README link absolute, and changes nothing when run again', () => {
    const before = packageDirs(copy.path).map((dir) => linksOf(readmeOf(copy.path, dir)).length);
    execFileSync(process.execPath, [SCRIPT, `${URL_OF_TEST}.git`, copy.path]);
    expect(problemsOf(copy.path)).toEqual([]);
    expect(packageDirs(copy.path).map((dir) => linksOf(readmeOf(copy.path, dir)).length)).toEqual(before);
    const cli = manifestOf(copy.path, 'cli');
    expect(cli.repository).toEqual({ type: 'git', url: `git+${URL_OF_TEST}.git`, directory: 'packages/cli' });
    expect(cli.homepage).toBe(`${URL_OF_TEST}/tree/main/packages/cli#readme`);
    expect(cli.bugs).toEqual({ url: `${URL_OF_TEST}/issues` });
    const links = packageDirs(copy.path).flatMap((dir) => linksOf(readmeOf(copy.path, dir)));
    expect(links).toContain(`${URL_OF_TEST}/blob/main/docs/cli.md`);
    expect(links).toContain(`${URL_OF_TEST}/tree/main/packages/netsuite-sync`);

    const snapshot = packageDirs(copy.path).map((dir) => [readFileSync(join(copy.path, 'packages', dir, 'package.json'), 'utf8'), readmeOf(copy.path, dir)]);
    execFileSync(process.execPath, [SCRIPT, URL_OF_TEST, copy.path]);
    expect(packageDirs(copy.path).map((dir) => [readFileSync(join(copy.path, 'packages', dir, 'package.json'), 'utf8'), readmeOf(copy.path, dir)])).toEqual(snapshot);
  });
});
