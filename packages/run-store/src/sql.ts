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

/**
 * `'a', 'b'`: a constant list of names (node types from the catalog) written into a statement's
 * text, so that a statement keeps one text (and one prepared plan) while the list comes from data.
 * Only plain lowercase names are accepted: this is never for user input.
 */
export function sqlNameList(names: Iterable<string>): string {
  const list = [...names];
  if (list.length === 0) throw new Error('sqlNameList: the list is empty');
  for (const n of list) if (!/^[a-z][a-z0-9_]*$/.test(n)) throw new Error(`sqlNameList: "${n}" is not a plain name`);
  return list.map((n) => `'${n}'`).join(', ');
}
