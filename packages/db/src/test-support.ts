// Scratch databases for this package's own tests. (@weft/testing depends on @weft/db, so
// using its createTestDatabase here would make the two packages depend on each other.)
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The URL of database `name` on the admin URL's server. */
export function urlFor(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.href;
}

/** A unique database name (it does not create anything). */
export function scratchName(): string {
  return `weft_db_test_${randomBytes(6).toString('hex')}`;
}

/** Runs SQL on the admin database. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops database `name` even when connections are left open. */
export function dropDatabase(name: string): Promise<void> {
  return adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

/** Creates an empty database (no migrations applied). */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = scratchName();
  await adminQuery(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return { url: urlFor(name), drop: () => dropDatabase(name) };
}
