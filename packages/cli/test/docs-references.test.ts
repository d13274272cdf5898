/**
 * What the CLI prints about the docs: the installed package ships no docs/ folder, so every page a message
 * names must exist in the repository and be named as a page of the source repository, never as a local file.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SOURCES = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The string literals of a file (quotes and template literals) that name a docs page. */
function docsMentions(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line))
    .join('\n');
  const literals = text.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? [];
  return literals.filter((literal) => /docs\/[\w-]+\.md/.test(literal));
}

describe('the docs pages the CLI names', () => {
  const mentions = sourceFiles(SOURCES).flatMap((file) => docsMentions(file).map((literal) => ({ file: file.slice(ROOT.length + 1), literal })));

  it('finds the messages that name a page', () => {
    expect(mentions.length).toBeGreaterThan(3);
  });

  it.each(mentions)('$file names an existing page, as a page of the source repository: $literal', ({ literal }) => {
    for (const page of literal.match(/docs\/[\w-]+\.md/g) ?? []) expect(existsSync(join(ROOT, page)), page).toBe(true);
    expect(literal).toMatch(/source repository/);
  });
});
