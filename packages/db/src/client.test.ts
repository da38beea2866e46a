import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './client';
import { newId } from './ids';
import { migrate } from './migrate';
import { createScratchDatabase, type ScratchDatabase } from './test-support';

describe('createDb', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    await migrate(scratch.url);
  });
  afterAll(() => scratch?.drop());

  it('serves Prisma and raw SQL from one pool, and closes it', async () => {
    const db = createDb({ url: scratch.url, poolMax: 1 });
    const id = newId();
    await db.prisma.org.create({ data: { id, slug: 'acme', name: 'Acme' } });
    const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM orgs WHERE id = $1', [id]);
    expect(rows).toEqual([{ name: 'Acme' }]);
    // With max 1, a second pool would show up as a second connection; there is only ours.
    expect(db.pool.totalCount).toBe(1);
    const sessions = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()',
    );
    expect(sessions.rows[0]?.n).toBe(1);

    await db.close();
    await db.close();
    expect(db.pool.ended).toBe(true);
  });
});
