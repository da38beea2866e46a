import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The migration folders of this package, in Prisma's layout (`<name>/migration.sql`). */
export const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface Migration {
  /** Folder name, e.g. `20261123000000_init`; also the `migration_name` Prisma records. */
  name: string;
  sql: string;
  /** SHA-256 (hex) of the file, as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Reads the migration folders of `dir`, sorted by name (the order Prisma applies them in). */
export function readMigrations(dir: string = migrationsDir): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

/** SHA-256 of a migration script in hex, as Prisma records it. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Whether `sql` is the script a recorded checksum was taken of, compared as Prisma does
 * (prisma-engines `script_matches_checksum`): blind to CRLF vs LF, since git may convert them,
 * and accepting the unpadded hex that old Prisma versions wrote.
 */
export function matchesChecksum(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant).digest();
    const hex = checksum.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('');
    return hex === checksum;
  });
}
