import { createDb, type Db } from '@weft/db';
import { describe, expect, it } from 'vitest';
import { seedRun, seedWorkflow, useSeededDatabase } from '../test/seed';
import { containsPattern, searchRunIds } from './run-search';
import { runPage } from './views';

const t = useSeededDatabase();

/** Runs of the org failed with these messages, oldest first; their ids, newest first. */
async function failed(messages: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const message of messages) {
    const id = await seedRun(t.pool, t.wf, 'failed');
    await t.pool.query(`UPDATE runs SET error = $2::jsonb WHERE id = $1`, [id, JSON.stringify({ code: 'step-failed', message })]);
    ids.push(id);
  }
  return ids.reverse();
}

describe('searchRunIds', () => {
  it('finds common text among the newest errored runs and rare text in the older rest, newest first', async () => {
    // Inserted oldest → newest; `failed` answers newest first.
    const [c1, , c2, , c3, rare2, rare1] = await failed(['rare thing 1', 'rare thing 2', 'common 3', 'x', 'common 2', 'y', 'common 1']);
    const db = { pool: t.pool } as Db;
    const search = (q: string, limit: number, window: number) => searchRunIds(db, t.wf.orgId, { q, limit, window, id: {} });
    // The 3 newest (c1, y, c2) hold two matches: enough for a page of 2.
    expect(await search('common', 2, 3)).toEqual([c1, c2]);
    // A page of 5: step 1 finds two in its 3 runs, step 2 (the GIN) the older one.
    expect(await search('common', 5, 3)).toEqual([c1, c2, c3]);
    expect(await search('rare thing', 5, 3)).toEqual([rare2, rare1]);
    expect(await search('rare thing', 5, 100)).toEqual([rare2, rare1]);
    expect(await search('nothing', 5, 3)).toEqual([]);
  });

  it('scopes to the org', async () => {
    const other = await seedWorkflow(t.pool);
    expect(await searchRunIds({ pool: t.pool } as Db, other.orgId, { q: 'common', limit: 5, window: 2, id: {} })).toEqual([]);
  });

  it('takes % and _ literally', () => {
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });

  it('filters test runs before its limit: a page of non-test matches is full although newer test runs match too', async () => {
    const org = await seedWorkflow(t.pool);
    const seeded: { id: string; test: boolean }[] = [];
    // Oldest → newest: two real runs, then three test runs, all failed with the same text.
    for (const test of [false, false, true, true, true]) {
      const id = await seedRun(t.pool, org, 'failed');
      await t.pool.query(`UPDATE runs SET error = '{"message":"disk full"}'::jsonb, test = $2 WHERE id = $1`, [id, test]);
      seeded.unshift({ id, test });
    }
    const newest = (test: boolean) => seeded.filter((r) => r.test === test).map((r) => r.id);
    const db = createDb({ url: t.pool.options.connectionString! });
    try {
      const real = await runPage(db, org.orgId, { q: 'disk', limit: 2, test: false });
      expect(real.items.map((r) => r.id)).toEqual(newest(false));
      expect(real.nextCursor).toBeNull();
      const tests = await runPage(db, org.orgId, { q: 'disk', limit: 2, test: true });
      expect(tests.items.map((r) => r.id)).toEqual(newest(true).slice(0, 2));
      expect(tests.nextCursor).toBe(newest(true)[1]);
      const rest = await runPage(db, org.orgId, { q: 'disk', limit: 2, test: true, cursor: tests.nextCursor! });
      expect(rest.items.map((r) => r.id)).toEqual(newest(true).slice(2));
      // The first step's window (the newest errored runs) holds only test runs: the older real ones come from the second.
      expect(await searchRunIds(db, org.orgId, { q: 'disk', limit: 5, window: 2, test: false, id: {} })).toEqual(newest(false));
    } finally {
      await db.close();
    }
  });
});
