import { setTimeout as sleep } from 'node:timers/promises';
import { rewrapSecret } from './envelope';
import { ENVELOPE_TABLES, type EnvelopeTable } from './envelope-tables';
import { CryptoError } from './errors';
import type { Keyring } from './keyring';

/** The part of a pg Pool this needs (any node-postgres pool or client fits). */
export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface RotateOptions {
  /** Rows read and re-wrapped per statement (default 100). */
  batchSize?: number;
  /** Pause between batches, to spare a busy database (ms, default 0). */
  pauseMs?: number;
  signal?: AbortSignal;
  /** Called after every batch (counts of the table being walked). */
  onBatch?: (progress: RotateProgress & { table: string }) => void;
}

export interface RotateProgress {
  /** Rows under another KEK seen so far. */
  scanned: number;
  /** Rows this run re-wrapped under the current KEK. */
  rewrapped: number;
  /** Rows another writer changed between our read and our write (left as they are). */
  raced: number;
  failed: number;
}

export interface RotateFailure {
  table: string;
  id: string;
  kekId: string;
  code: string;
}

export interface RotateResult extends RotateProgress {
  currentKekId: string;
  /** Rows that could not be re-wrapped (their KEK is not configured, or they fail to authenticate). */
  failures: RotateFailure[];
  /** Rows still not under the current KEK once the run ended (0 when rotation is complete). */
  remaining: number;
  /** Rows per KEK id once the run ended. */
  byKek: Record<string, number>;
}

export interface RotateAllResult extends RotateResult {
  /** The same, per table of ENVELOPE_TABLES. */
  tables: Record<string, RotateResult>;
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

interface Row extends Record<string, unknown> {
  id: string;
  org_id: string;
  wrapped_key: Buffer;
  kek_id: string;
}

/**
 * Re-wraps every data key of one envelope table that is not under the keyring's current KEK,
 * in batches, without touching ciphertexts.
 *
 * Safe while services read: each row's (wrapped_key, kek_id) pair is replaced by one UPDATE, so a
 * reader sees either the old pair or the new one, never a mix, and both KEKs are configured
 * during rotation. The UPDATE only applies if the row still holds the pair we read
 * (compare-and-set), so a concurrent rotation or writer (a new secret version, a token refresh)
 * is never overwritten. Rows are walked by id (keyset pagination), so a row that fails is
 * reported once and the walk still ends. Idempotent: run it again to finish an interrupted rotation.
 */
export async function rotateTable(db: SqlRunner, keyring: Keyring, t: EnvelopeTable, opts: RotateOptions = {}): Promise<RotateResult> {
  const batchSize = opts.batchSize ?? 100;
  const current = keyring.currentId;
  const progress: RotateProgress = { scanned: 0, rewrapped: 0, raced: 0, failed: 0 };
  const failures: RotateFailure[] = [];
  const columns = ['id', 'org_id', 'wrapped_key', 'kek_id', ...t.aadColumns].join(', ');
  let after = FIRST_ID;
  for (;;) {
    opts.signal?.throwIfAborted();
    // kek_id <> $1 skips rows without an envelope (a null kek_id: an alert rule whose channel has no secret).
    const { rows } = (await db.query(
      `SELECT ${columns} FROM ${t.table} WHERE kek_id <> $1 AND wrapped_key IS NOT NULL AND id > $2::uuid ORDER BY id LIMIT $3`,
      [current, after, batchSize],
    )) as { rows: Row[] };
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    progress.scanned += rows.length;
    const ids: string[] = [];
    const wraps: Buffer[] = [];
    const oldKeks: string[] = [];
    const oldWraps: Buffer[] = [];
    for (const r of rows) {
      try {
        const next = rewrapSecret(keyring, { wrappedKey: r.wrapped_key, kekId: r.kek_id }, t.aad(r));
        ids.push(r.id);
        wraps.push(next.wrappedKey);
        oldKeks.push(r.kek_id);
        oldWraps.push(r.wrapped_key);
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        progress.failed++;
        failures.push({ table: t.table, id: r.id, kekId: r.kek_id, code: err.code });
      }
    }
    if (ids.length) {
      const { rows: done } = await db.query(
        `UPDATE ${t.table} v SET wrapped_key = u.wrapped_key, kek_id = $1
         FROM unnest($2::uuid[], $3::bytea[], $4::text[], $5::bytea[]) AS u(id, wrapped_key, old_kek, old_wrapped)
         WHERE v.id = u.id AND v.kek_id = u.old_kek AND v.wrapped_key = u.old_wrapped
         RETURNING v.id`,
        [current, ids, wraps, oldKeks, oldWraps],
      );
      progress.rewrapped += done.length;
      progress.raced += ids.length - done.length;
    }
    opts.onBatch?.({ ...progress, table: t.table });
    if (rows.length < batchSize) break;
    if (opts.pauseMs) await sleep(opts.pauseMs, undefined, opts.signal ? { signal: opts.signal } : {});
  }
  const { rows: counts } = (await db.query(`SELECT kek_id, count(*)::int AS n FROM ${t.table} WHERE kek_id IS NOT NULL GROUP BY kek_id`)) as { rows: { kek_id: string; n: number }[] };
  const byKek = Object.fromEntries(counts.map((c) => [c.kek_id, c.n]));
  const remaining = counts.filter((c) => c.kek_id !== current).reduce((sum, c) => sum + c.n, 0);
  return { ...progress, currentKekId: current, failures, remaining, byKek };
}

/** rotateTable over `secret_versions` only (the org secrets). */
export function rotateSecretKeys(db: SqlRunner, keyring: Keyring, opts: RotateOptions = {}): Promise<RotateResult> {
  return rotateTable(db, keyring, ENVELOPE_TABLES.find((t) => t.table === 'secret_versions')!, opts);
}

/** rotateTable over every table of ENVELOPE_TABLES, one after the other; totals and per-table results. */
export async function rotateAllEnvelopes(db: SqlRunner, keyring: Keyring, opts: RotateOptions = {}, tables: readonly EnvelopeTable[] = ENVELOPE_TABLES): Promise<RotateAllResult> {
  const total: RotateAllResult = { scanned: 0, rewrapped: 0, raced: 0, failed: 0, currentKekId: keyring.currentId, failures: [], remaining: 0, byKek: {}, tables: {} };
  for (const t of tables) {
    const r = await rotateTable(db, keyring, t, opts);
    total.tables[t.table] = r;
    total.scanned += r.scanned;
    total.rewrapped += r.rewrapped;
    total.raced += r.raced;
    total.failed += r.failed;
    total.remaining += r.remaining;
    total.failures.push(...r.failures);
    for (const [kek, n] of Object.entries(r.byKek)) total.byKek[kek] = (total.byKek[kek] ?? 0) + n;
  }
  return total;
}
