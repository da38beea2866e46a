import { createDb, newId, type Db } from '@weft/db';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureFlags } from './feature-flags';

let database: TestDatabase;
let db: Db;
let redisInfo: Awaited<ReturnType<typeof createTestRedis>>;
let redis: Redis;
let a: FeatureFlags;
let b: FeatureFlags;
const orgs = { one: newId(), two: newId() };

/** Waits until `check` holds (another process learns of a change by message): no time is asserted, only the outcome. */
async function eventually(check: () => boolean, what: string) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check(), what).toBe(true);
}

beforeAll(async () => {
  [database, redisInfo] = await Promise.all([createTestDatabase(), createTestRedis()]);
  // As the services open it: row-level security on, nothing visible outside a scope (fail closed).
  db = createDb({ url: database.url, rls: { default: 'none' } });
  for (const [slug, id] of Object.entries(orgs)) await db.pool.query('INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $2)', [id, `flags-${slug}-${id.slice(0, 8)}`]);
  redis = new Redis(redisInfo.url);
  // Two processes' caches on the same Postgres and Redis; b re-reads only on announcements (no periodic refresh within the test).
  a = await FeatureFlags.start({ pool: db.pool, redis, prefix: redisInfo.prefix });
  b = await FeatureFlags.start({ pool: db.pool, redis, prefix: redisInfo.prefix, refreshMs: 3_600_000 });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  redis?.disconnect();
  await db?.close();
  await redisInfo?.cleanup();
  await database?.drop();
});

describe('Feature flags', () => {
  it('answer the default declared in code until someone sets a value', () => {
    expect(a.enabled(orgs.one, 'iteration-successors')).toBe(true);
    expect(a.forOrg(orgs.one)).toEqual([expect.objectContaining({ key: 'iteration-successors', enabled: true, source: 'code' })]);
  });

  it("set for one org: that org's value changes at once here and, by announcement, in the other process; other orgs keep the default", async () => {
    expect(await a.setForOrg(orgs.one, 'iteration-successors', false, null)).toBe(true);
    expect(a.enabled(orgs.one, 'iteration-successors')).toBe(false);
    await eventually(() => b.enabled(orgs.one, 'iteration-successors') === false, 'the other process sees the change');
    expect(b.enabled(orgs.two, 'iteration-successors')).toBe(true);
    expect(b.forOrg(orgs.one)[0]).toMatchObject({ enabled: false, source: 'org' });
  });

  it("a changed default applies to every org without a value of its own; null returns to what it was", async () => {
    await a.setDefault('iteration-successors', false, null);
    await eventually(() => b.enabled(orgs.two, 'iteration-successors') === false, 'the new default reaches the other process');
    await a.setForOrg(orgs.one, 'iteration-successors', true, null);
    await eventually(() => b.enabled(orgs.one, 'iteration-successors') === true, "the org's own value wins over the default");
    expect(b.overview()).toEqual([expect.objectContaining({ key: 'iteration-successors', enabled: false, source: 'default', orgs: [{ orgId: orgs.one, enabled: true }] })]);
    await a.setDefault('iteration-successors', null, null);
    await a.setForOrg(orgs.one, 'iteration-successors', null, null);
    await eventually(() => b.enabled(orgs.two, 'iteration-successors') && b.forOrg(orgs.one)[0]!.source === 'code', 'both back to the code default');
  });

  it('refuses an org that does not exist', async () => {
    expect(await a.setForOrg(newId(), 'iteration-successors', false, null)).toBe(false);
  });

  it('re-reads Postgres on its own when an announcement is lost, and ignores values of flags no longer in code', async () => {
    const c = await FeatureFlags.start({ pool: db.pool, redis, prefix: `${redisInfo.prefix}-elsewhere`, refreshMs: 50 });
    try {
      await db.pool.query(`INSERT INTO feature_flags (key, enabled) VALUES ('iteration-successors', false), ('a-flag-removed-from-code', true)`);
      await eventually(() => c.enabled(orgs.two, 'iteration-successors') === false, 'the periodic re-read finds the change');
      expect(c.overview().map((f) => f.key)).toEqual(['iteration-successors']);
    } finally {
      await c.stop();
      await db.pool.query('DELETE FROM feature_flags');
    }
  });
});
