import { pendingMigrations } from '@weft/db';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './database';

async function scalar<T>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0]?.v as T;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('gives each caller its own fully migrated database, even when called concurrently', async () => {
    const dbs = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    try {
      expect(new Set(dbs.map((d) => d.url)).size).toBe(3);
      for (const db of dbs) expect(await pendingMigrations(db.url)).toEqual([]);

      await scalar(dbs[0]!.url, `INSERT INTO orgs (id, slug, name) VALUES (gen_random_uuid(), 'a', 'A')`);
      expect(await scalar(dbs[1]!.url, 'SELECT count(*)::int AS v FROM orgs')).toBe(0);
    } finally {
      await Promise.all(dbs.map((d) => d.drop()));
    }
  });

  it('drops the database even while a connection to it is still open', async () => {
    const db = await createTestDatabase();
    const name = new URL(db.url).pathname.slice(1);
    const lingering = new pg.Client({ connectionString: db.url });
    lingering.on('error', () => undefined); // the forced drop terminates it
    await lingering.connect();

    await db.drop();

    const admin = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const left = await scalar<number>(admin, `SELECT count(*)::int AS v FROM pg_database WHERE datname = '${name}'`);
    expect(left).toBe(0);
    await lingering.end().catch(() => undefined);
  });
});
