import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { pgTool } from './pg-tools';

/** What a backup records beside its dump: never a key, only the ids of the keys its secrets need. */
export interface BackupManifest {
  format: 'weft-backup/1';
  createdAt: string;
  database: string;
  serverVersion: string;
  /** Migrations applied in the backed-up database, in order. */
  migrations: string[];
  /** Ids of the key-encryption keys that wrap the secrets' data keys (WEFT_KEKS must hold them to decrypt). */
  kekIds: string[];
  /** Row counts of the main tables at the time of the dump, to check a restore against. */
  counts: Record<string, number>;
  bytes: number;
  ms: number;
}

export const COUNTED_TABLES = ['orgs', 'workflows', 'workflow_versions', 'runs', 'run_steps', 'run_events', 'secrets', 'secret_versions', 'schedules', 'webhooks'] as const;

/** Row counts of the counted tables (exact: a backup is not a hot path). */
export async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of COUNTED_TABLES) out[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
  return out;
}

/**
 * Dumps the database of `url` to `file` (pg_dump custom format: compressed, restorable table by
 * table, consistent as of one snapshot, with the row-level-security roles' grants) and writes `<file>.json`, its manifest. `searchPath`: the
 * PATH where pg_dump is looked for (besides Debian's versioned folders).
 */
export async function backupDatabase(url: string, file: string, searchPath: string | undefined): Promise<BackupManifest> {
  const started = Date.now();
  mkdirSync(dirname(file), { recursive: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The manifest describes the same state as the dump: both read in one repeatable-read snapshot
    // that pg_dump takes over (--snapshot), so a run committed in between is in both or neither.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    const serverVersion = (await client.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
    const migrations = (await client.query<{ name: string }>('SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name')).rows.map((r) => r.name);
    const kekIds = await kekIdsInUse(client);
    const counts = await tableCounts(client);
    const dump = spawnSync(pgTool('pg_dump', searchPath), ['--format=custom', '--no-owner', `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${url}`], { encoding: 'utf8' });
    if (dump.status !== 0) throw new Error(`pg_dump failed (exit ${dump.status ?? dump.signal}): ${dump.stderr.trim() || dump.error?.message}`);
    await client.query('COMMIT');
    const { size } = await import('node:fs').then((fs) => fs.statSync(file));
    const manifest: BackupManifest = { format: 'weft-backup/1', createdAt: new Date(started).toISOString(), database: new URL(url).pathname.slice(1), serverVersion, migrations, kekIds, counts, bytes: size, ms: Date.now() - started };
    writeFileSync(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await client.end();
  }
}

/** Every KEK id a row names, in every table with a kek_id column (envelopes and OAuth states alike). */
async function kekIdsInUse(client: pg.Client): Promise<string[]> {
  const { rows: tables } = await client.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'kek_id' ORDER BY 1`,
  );
  if (tables.length === 0) return [];
  const union = tables.map(({ t }) => `SELECT kek_id AS id FROM ${client.escapeIdentifier(t)} WHERE kek_id IS NOT NULL`).join(' UNION ');
  return (await client.query<{ id: string }>(`${union} ORDER BY 1`)).rows.map((r) => r.id);
}
