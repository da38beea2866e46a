import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { matchesChecksum, readMigrations, type Migration } from './migrations';

// The key `prisma migrate deploy` locks with (prisma-engines, postgres flavour), so this
// migrator and Prisma's never run at the same time against one database.
const PRISMA_MIGRATE_LOCK = 72707369;

// Prisma's own DDL, so that `prisma migrate deploy/status` read what we record.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationErrorCode =
  | 'MIGRATION_MISSING_LOCALLY'
  | 'MIGRATION_CHECKSUM_MISMATCH'
  | 'MIGRATION_FAILED_EARLIER'
  | 'MIGRATION_FAILED';

/** The database's migration history does not fit this code's migration folders (or a migration failed). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface MigrateOptions {
  /** Folder holding `<name>/migration.sql`; defaults to this package's `prisma/migrations`. */
  dir?: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies the pending migrations in name order, each in its own transaction, under Prisma's
 * advisory lock, recording them in `_prisma_migrations` as `prisma migrate deploy` would.
 * Throws a MigrationError, changing nothing, when the recorded history diverges from the folders.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = readMigrations(options.dir);
  return withClient(url, async (client) => {
    await client.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const pending = checkHistory(migrations, await readHistory(client));
      for (const migration of pending) await applyOne(client, migration);
      return { applied: pending.map((m) => m.name) };
    } finally {
      // Ending the session frees the lock anyway; do not hide the real error behind this one.
      await client.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`).catch(() => undefined);
    }
  });
}

/** Names of the migration folders not yet applied to the database (all of them when it has no history). */
export async function pendingMigrations(url: string, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = readMigrations(options.dir);
  const done = await withClient(url, async (client) => {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`);
    if (!table.rows[0]?.t) return new Set<string>();
    const history = await readHistory(client);
    return new Set(history.filter((row) => row.finished_at).map((row) => row.migration_name));
  });
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}

/**
 * Creates the database named in `url` when it does not exist, connecting to the `postgres`
 * database of the same server. Resolves true when it created it. Safe to race.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`ensureDatabase: no database name in ${target.origin}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return withClient(admin.href, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two CREATE DATABASE race on pg_database's unique index.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  });
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

async function readHistory(client: pg.Client): Promise<AppliedRow[]> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM _prisma_migrations
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return rows;
}

/** Returns the migrations still to apply, or throws when the history does not fit the folders. */
function checkHistory(migrations: Migration[], history: AppliedRow[]): Migration[] {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of history) {
    const local = byName.get(row.migration_name);
    if (!row.finished_at) {
      throw new MigrationError(
        'MIGRATION_FAILED_EARLIER',
        `Migration ${row.migration_name} is recorded as started but not finished. Fix the database by hand, ` +
          `then mark it with \`prisma migrate resolve --rolled-back|--applied ${row.migration_name}\`.`,
      );
    }
    if (!local) {
      throw new MigrationError(
        'MIGRATION_MISSING_LOCALLY',
        `Migration ${row.migration_name} is applied to the database but missing from the migrations folder ` +
          `(is this code older than the database?).`,
      );
    }
    if (!matchesChecksum(local.sql, row.checksum)) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `Migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum} in the ` +
          `database, ${local.checksum} on disk). Never edit an applied migration: add a new one.`,
      );
    }
  }
  const applied = new Set(history.map((row) => row.migration_name));
  return migrations.filter((m) => !applied.has(m.name));
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql); // simple query protocol: runs every statement of the file
    await client.query(
      'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new MigrationError('MIGRATION_FAILED', `Migration ${migration.name} failed and was rolled back: ${String(error)}`, {
      cause: error,
    });
  }
}
