import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { ensureDatabase, migrate } from '../migrate';
import { tableCounts, type BackupManifest } from './backup';
import { pgTool } from './pg-tools';

export interface RestoreResult {
  database: string;
  /** Migrations newer than the backup, applied after it was restored. */
  applied: string[];
  counts: Record<string, number>;
  /** Key ids the backup's secrets need that the given keyring lacks (those secrets cannot be decrypted). */
  missingKekIds: string[];
  /** false: the cluster lacks the row-level-security roles; restored without their grants. */
  rlsRoles: boolean;
  ms: number;
}

export interface RestoreOptions {
  /** Ids of the KEKs this installation has (WEFT_KEKS), to say which the backup needs and lacks. */
  availableKekIds?: readonly string[];
  /** The PATH where pg_restore is looked for (besides Debian's versioned folders). */
  searchPath?: string | undefined;
}

/**
 * Restores a backup made by backupDatabase into the database of `url`, which must be new or empty
 * (a restore never mixes with live data), applies the migrations newer than the backup, and checks
 * the row counts against the backup's manifest.
 */
export async function restoreDatabase(file: string, url: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  if (!existsSync(file)) throw new Error(`no backup at ${file}`);
  if (!existsSync(`${file}.json`)) throw new Error(`no manifest at ${file}.json: restore only backups made by npm run backup`);
  const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as BackupManifest;
  if (manifest.format !== 'weft-backup/1') throw new Error(`${file}.json: unknown backup format ${JSON.stringify(manifest.format)}`);
  const database = new URL(url).pathname.slice(1);
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n);
    if (tables > 0) throw new Error(`database ${database} is not empty (${tables} tables): restore into a new database, or drop this one first`);
    // The grants of the row-level-security roles come with the dump; on a cluster without those roles
    // (they are cluster-wide) the services run with the wall off until an administrator creates them.
    const roles = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_roles WHERE rolname IN ('weft_app', 'weft_maintenance')`)).rows[0]!.n);
    const privileges = roles === 2 ? [] : ['--no-privileges'];
    const restore = spawnSync(pgTool('pg_restore', opts.searchPath), ['--no-owner', ...privileges, '--exit-on-error', `--dbname=${url}`, file], { encoding: 'utf8' });
    if (restore.status !== 0) throw new Error(`pg_restore failed (exit ${restore.status ?? restore.signal}): ${restore.stderr.trim() || restore.error?.message}`);
    const counts = await tableCounts(client);
    const differ = Object.entries(manifest.counts).filter(([t, n]) => counts[t] !== n);
    if (differ.length) throw new Error(`the restored rows differ from the backup's manifest: ${differ.map(([t, n]) => `${t} ${counts[t]} (backup ${n})`).join(', ')}`);
    const { applied } = await migrate(url);
    const missingKekIds = opts.availableKekIds ? manifest.kekIds.filter((id) => !opts.availableKekIds!.includes(id)) : [];
    return { database, applied, counts, missingKekIds, rlsRoles: roles === 2, ms: Date.now() - started };
  } finally {
    await client.end();
  }
}
