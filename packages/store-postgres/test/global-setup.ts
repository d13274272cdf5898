/**
 * Runs once before the project's test files. Without DATABASE_URL every test file starts its own PGlite,
 * and a new PGlite runs initdb (1.5 to 3 s each); so this runs it once and saves the data directory, and the
 * files load copies of it (about 0.4 s each). With DATABASE_URL it does nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tar of an initialized PGlite data directory, when the tests run on PGlite. */
    pgliteDataDir: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env['DATABASE_URL'];
  if (url !== undefined && url !== '') {
    project.provide('pgliteDataDir', undefined);
    return () => Promise.resolve();
  }
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('none');
  await db.close();
  const directory = await mkdtemp(join(tmpdir(), 'netsuite-sync-pglite-'));
  const file = join(directory, 'pgdata.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDataDir', file);
  return () => rm(directory, { recursive: true, force: true });
}
