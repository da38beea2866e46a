import { setTimeout as sleep } from 'node:timers/promises';
import { rewrapSecret } from './envelope';
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
  /** Called after every batch. */
  onBatch?: (progress: RotateProgress) => void;
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

export interface RotateResult extends RotateProgress {
  currentKekId: string;
  /** Rows that could not be re-wrapped (their KEK is not configured, or they fail to authenticate). */
  failures: { id: string; secretId: string; version: number; kekId: string; code: string }[];
  /** Rows still not under the current KEK once the run ended (0 when rotation is complete). */
  remaining: number;
  /** Rows per KEK id once the run ended. */
  byKek: Record<string, number>;
}

interface Row {
  id: string;
  org_id: string;
  secret_id: string;
  version: number;
  wrapped_key: Buffer;
  kek_id: string;
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Re-wraps every data key in `secret_versions` that is not under the keyring's current KEK,
 * in batches, without touching ciphertexts.
 *
 * Safe while services read secrets: each row's (wrapped_key, kek_id) pair is replaced by one
 * UPDATE, so a reader sees either the old pair or the new one, never a mix, and both KEKs are
 * configured during rotation. The UPDATE only applies if the row still holds the pair we read
 * (compare-and-set), so a concurrent rotation or writer is never overwritten. Rows are walked
 * by id (keyset pagination), so a row that fails is reported once and the walk still ends.
 * Idempotent: run it again to finish an interrupted rotation.
 */
export async function rotateSecretKeys(db: SqlRunner, keyring: Keyring, opts: RotateOptions = {}): Promise<RotateResult> {
  const batchSize = opts.batchSize ?? 100;
  const current = keyring.currentId;
  const progress: RotateProgress = { scanned: 0, rewrapped: 0, raced: 0, failed: 0 };
  const failures: RotateResult['failures'] = [];
  let after = FIRST_ID;
  for (;;) {
    opts.signal?.throwIfAborted();
    const { rows } = (await db.query(
      `SELECT id, org_id, secret_id, version, wrapped_key, kek_id FROM secret_versions
       WHERE kek_id <> $1 AND id > $2::uuid ORDER BY id LIMIT $3`,
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
        const next = rewrapSecret(keyring, { wrappedKey: r.wrapped_key, kekId: r.kek_id }, { orgId: r.org_id, secretId: r.secret_id, version: r.version });
        ids.push(r.id);
        wraps.push(next.wrappedKey);
        oldKeks.push(r.kek_id);
        oldWraps.push(r.wrapped_key);
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        progress.failed++;
        failures.push({ id: r.id, secretId: r.secret_id, version: r.version, kekId: r.kek_id, code: err.code });
      }
    }
    if (ids.length) {
      const { rows: done } = await db.query(
        `UPDATE secret_versions v SET wrapped_key = u.wrapped_key, kek_id = $1
         FROM unnest($2::uuid[], $3::bytea[], $4::text[], $5::bytea[]) AS u(id, wrapped_key, old_kek, old_wrapped)
         WHERE v.id = u.id AND v.kek_id = u.old_kek AND v.wrapped_key = u.old_wrapped
         RETURNING v.id`,
        [current, ids, wraps, oldKeks, oldWraps],
      );
      progress.rewrapped += done.length;
      progress.raced += ids.length - done.length;
    }
    opts.onBatch?.({ ...progress });
    if (rows.length < batchSize) break;
    if (opts.pauseMs) await sleep(opts.pauseMs, undefined, opts.signal ? { signal: opts.signal } : {});
  }
  const { rows: counts } = (await db.query(`SELECT kek_id, count(*)::int AS n FROM secret_versions GROUP BY kek_id`)) as { rows: { kek_id: string; n: number }[] };
  const byKek = Object.fromEntries(counts.map((c) => [c.kek_id, c.n]));
  const remaining = counts.filter((c) => c.kek_id !== current).reduce((sum, c) => sum + c.n, 0);
  return { ...progress, currentKekId: current, failures, remaining, byKek };
}
