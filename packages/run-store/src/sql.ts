import type { Pool, PoolClient, QueryResultRow } from 'pg';

export type Queryable = Pool | PoolClient;

/** Runs fn inside BEGIN/COMMIT on one pooled connection; rolls back on any error. */
export async function withTx<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function rows<T extends QueryResultRow>(q: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await q.query<T>(text, values)).rows;
}

/** Builds `($1,$2,...),($n,...)` placeholders for a multi-row insert. */
export function valuesList(rowCount: number, width: number, casts: readonly string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const cols: string[] = [];
    for (let c = 0; c < width; c++) cols.push(`$${r * width + c + 1}${casts[c] ? `::${casts[c]}` : ''}`);
    out.push(`(${cols.join(',')})`);
  }
  return out.join(',');
}
