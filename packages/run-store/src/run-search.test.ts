import type { Db } from '@weft/db';
import { describe, expect, it } from 'vitest';
import { seedRun, seedWorkflow, useSeededDatabase } from '../test/seed';
import { containsPattern, searchRunIds } from './run-search';

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
});
