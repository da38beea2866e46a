import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDatabase, migrate, MigrationError, pendingMigrations } from './migrate';
import { readMigrations } from './migrations';
import { createScratchDatabase, dropDatabase, scratchName, urlFor, type ScratchDatabase } from './test-support';

const names = readMigrations().map((m) => m.name);
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function scratch(): Promise<ScratchDatabase> {
  const db = await createScratchDatabase();
  cleanups.push(db.drop);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

describe('migrate', () => {
  it('applies every migration to an empty database and records it as Prisma does', async () => {
    const { url } = await scratch();
    expect(await pendingMigrations(url)).toEqual(names);

    expect(await migrate(url)).toEqual({ applied: names });

    const rows = await query(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    expect(rows).toEqual(
      readMigrations().map((m) => ({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        checksum: m.checksum,
        finished_at: expect.any(Date),
        migration_name: m.name,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      })),
    );
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const { url } = await scratch();
    await migrate(url);
    expect(await migrate(url)).toEqual({ applied: [] });
    expect(await query(url, 'SELECT 1 FROM _prisma_migrations')).toHaveLength(names.length);
  });

  it('applies each migration exactly once when several processes start at the same time', async () => {
    const { url } = await scratch();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(names);
    expect(await query(url, 'SELECT 1 FROM _prisma_migrations')).toHaveLength(names.length);
  });

  it('refuses a database whose recorded checksum differs from the migration file', async () => {
    const { url } = await scratch();
    await migrate(url);
    await query(url, `UPDATE _prisma_migrations SET checksum = repeat('0', 64)`);
    const error = await rejection(migrate(url));
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.message).toContain(names[0]);
  });

  it('refuses a database with an applied migration the folder lacks', async () => {
    const { url } = await scratch();
    await migrate(url);
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, repeat('a', 64), '29990101000000_from_the_future', now(), 1)`,
    );
    expect((await rejection(migrate(url))).code).toBe('MIGRATION_MISSING_LOCALLY');
  });

  it('rolls back a failing migration and records nothing of it', async () => {
    const { url } = await scratch();
    const dir = mkdtempSync(join(tmpdir(), 'weft-migrations-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '0001_ok'));
    writeFileSync(join(dir, '0001_ok', 'migration.sql'), 'CREATE TABLE a (id int);');
    mkdirSync(join(dir, '0002_broken'));
    writeFileSync(join(dir, '0002_broken', 'migration.sql'), 'CREATE TABLE b (id int);\nSELECT nope;');

    expect((await rejection(migrate(url, { dir }))).code).toBe('MIGRATION_FAILED');

    const recorded = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM _prisma_migrations');
    expect(recorded.map((r) => r.migration_name)).toEqual(['0001_ok']);
    expect(await query(url, `SELECT to_regclass('b') AS t`)).toEqual([{ t: null }]);
    expect(await pendingMigrations(url, { dir })).toEqual(['0002_broken']);
  });
});

describe('ensureDatabase', () => {
  it('creates a missing database once, even when called concurrently', async () => {
    const name = scratchName();
    cleanups.push(() => dropDatabase(name));
    const created = await Promise.all([ensureDatabase(urlFor(name)), ensureDatabase(urlFor(name))]);
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await ensureDatabase(urlFor(name))).toBe(false);
    expect(await query(urlFor(name), 'SELECT current_database() AS db')).toEqual([{ db: name }]);
  });
});
