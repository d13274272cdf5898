/**
 * A Postgres store that cannot be reached: the CLI names the server (host, port, database, user, and where
 * the connection string came from), what the network or the server answered and what to check; never the
 * password, never advice about schema permissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { cli, jsonOf, tempDir } from './support';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

/** The test server, when there is one (as for the store-postgres tests). */
const SERVER = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;

describe('a Postgres store that cannot be reached', () => {
  it('names host and port and says the connection was refused (DATABASE_URL)', async () => {
    const run = await cli(['runs'], { cwd: dir.path, env: { DATABASE_URL: 'postgres://sync:VeryS3cretPassw0rd@127.0.0.1:1/books' } });
    expect(run.code).toBe(EXIT_CODES.failure);
    expect(run.stderr).toContain('error: Cannot connect to the Postgres server at 127.0.0.1:1 (database "books", user "sync", from DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1');
    expect(run.stderr).toContain('→ Nothing accepts connections at that host and port');
    expect(run.stderr).not.toMatch(/schema/i);
    expect(run.stdout + run.stderr).not.toContain('VeryS3cretPassw0rd');
  });

  it('says the host name does not resolve (--store)', async () => {
    const run = await cli(['runs', '--store', 'postgres://sync:VeryS3cretPassw0rd@no-such-host.invalid/books', '--json'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.failure);
    const { error } = jsonOf<{ error: { code: string; message: string; resolution: string } }>(run);
    expect(error.message).toMatch(/^Cannot connect to the Postgres server at no-such-host\.invalid:5432 \(database "books", user "sync", from --store\): getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid/);
    expect(error.resolution).toContain('host name does not resolve');
    expect(run.stdout + run.stderr).not.toContain('VeryS3cretPassw0rd');
  });

  it.skipIf(SERVER === undefined)('says the database does not exist, as the server answered', async () => {
    const url = new URL(SERVER ?? 'postgres://localhost/test');
    url.pathname = '/netsuite_sync_no_such_database';
    const run = await cli(['runs', '--store', url.toString()], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.failure);
    expect(run.stderr).toContain(`Cannot connect to the Postgres server at ${url.hostname}:${url.port === '' ? '5432' : url.port} (database "netsuite_sync_no_such_database"`);
    expect(run.stderr).toContain('database "netsuite_sync_no_such_database" does not exist');
    expect(run.stderr).toContain('→ The database does not exist on that server');
  });
});
