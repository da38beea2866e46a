import { createHash, randomBytes } from 'node:crypto';
import { migrate, readMigrations } from '@weft/db';
import pg from 'pg';

const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
// Serialises building the template across vitest workers (any key other than Prisma's 72707369).
const TEMPLATE_LOCK = 0x77656674; // "weft"

export interface TestDatabase {
  /** Connection URL of a fresh, fully migrated database of its own. */
  url: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * A fresh migrated database, copied from a template that is migrated once per set of
 * migration files. The server is the one of DATABASE_URL (any database on it).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
  const template = await ensureTemplate(adminUrl);
  const name = `weft_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${q(name)} TEMPLATE ${q(template)}`));
  return {
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      await withClient(adminUrl, async (c) => {
        // A pool's end() resolves before its connections have closed: give them a moment to go, so
        // the forced drop does not terminate a closing client, whose 57P01 has no listener left
        // (an uncaught error in the test file that dropped it). Still forced after ~1 s.
        for (let i = 0; i < 20; i++) {
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${q(name)} WITH (FORCE)`);
      });
    },
  };
}

/** Name of the template for the current migrations; builds it when missing. */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const hash = createHash('sha256');
  for (const m of readMigrations()) hash.update(`${m.name}\0${m.checksum}\n`);
  const template = `weft_template_${hash.digest('hex').slice(0, 16)}`;

  await withClient(adminUrl, async (client) => {
    // The template only ever appears under its final name fully migrated (see the rename below),
    // so finding it means it is ready.
    if (await databaseExists(client, template)) return;
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      if (await databaseExists(client, template)) return;
      // A worker that died half-way leaves `_building` behind: start that one over.
      const building = `${template}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${q(building)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${q(building)}`);
      await migrate(databaseUrl(adminUrl, building));
      await client.query(`ALTER DATABASE ${q(building)} RENAME TO ${q(template)}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    }
  });
  return template;
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return Boolean(rowCount);
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.href;
}

function q(identifier: string): string {
  return pg.escapeIdentifier(identifier);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
