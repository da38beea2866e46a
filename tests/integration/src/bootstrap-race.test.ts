import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@weft/db';
import { bootstrapOrg, generateApiKey } from '@weft/gateway';
import { createTestDatabase, type TestDatabase } from '@weft/testing';

/** The bootstrap keys still valid, by their hash. */
const validBootstrapHashes = async (db: Db) =>
  (await db.pool.query<{ hash: string }>(`SELECT hash FROM api_keys WHERE name = 'bootstrap' AND revoked_at IS NULL`)).rows.map((r) => r.hash);
const hashOf = async (db: Db, key: string) => (await db.pool.query<{ h: string }>(`SELECT encode(sha256($1::bytea), 'hex') AS h`, [key])).rows[0]!.h;

/**
 * A pool whose writing bootstrap statement waits until `gate` opens (calling `paused` when it gets
 * there): forces one boot to stop between its check and its write.
 */
function pausedBeforeWrite(url: string, gate: Promise<void>, paused: () => void): Db {
  const db = createDb({ url, poolMax: 2 });
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      if (typeof args[0] !== 'string' || !args[0].includes('WITH added')) return query(...args);
      paused();
      return gate.then(() => query(...args));
    };
  });
  return db;
}

describe('Two gateways booting at once with the old and the new bootstrap key', () => {
  let database: TestDatabase;
  let admin: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    admin = createDb({ url: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await admin?.close();
    await database?.drop();
  });

  it('leave the new key valid when the old boot checked its key before the new boot revoked it and writes after', async () => {
    const old = generateApiKey();
    const fresh = generateApiKey();
    await bootstrapOrg(admin, old);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let paused!: () => void;
    const oldPaused = new Promise<void>((resolve) => (paused = resolve));
    const oldDb = pausedBeforeWrite(database.url, gate, paused);
    const newDb = createDb({ url: database.url, poolMax: 2 });
    try {
      // The old boot passes its "was my key revoked?" check, then stops before its write.
      const oldBoot = bootstrapOrg(oldDb, old);
      await oldPaused;
      // The new boot runs meanwhile: it either finishes (no lock between the boots) or waits for the old one's lock.
      const newBoot = bootstrapOrg(newDb, fresh);
      let decided = false;
      const newWaits = new Promise<void>((resolve) => {
        const poll = async () => {
          if (decided) return;
          const { rows } = await admin.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`);
          if (rows[0]!.n > 0) resolve();
          else setTimeout(() => void poll(), 20);
        };
        void poll();
      });
      await Promise.race([newBoot.then(() => undefined), newWaits]);
      decided = true;
      open();
      await Promise.all([oldBoot, newBoot]);
      // The boot that committed last (the new one) wins, and a valid bootstrap key remains.
      expect(await validBootstrapHashes(admin)).toEqual([await hashOf(admin, fresh)]);
    } finally {
      open();
      await oldDb.close();
      await newDb.close();
    }
  });

  it('leave exactly one valid bootstrap key, the new one, over 20 rounds of concurrent boots', async () => {
    let current = generateApiKey();
    await bootstrapOrg(admin, current);
    const dbs = [createDb({ url: database.url, poolMax: 2 }), createDb({ url: database.url, poolMax: 2 })];
    try {
      for (let round = 0; round < 20; round++) {
        const next = generateApiKey();
        const [oldBoot, newBoot] = await Promise.allSettled([bootstrapOrg(dbs[0]!, current), bootstrapOrg(dbs[1]!, next)]);
        expect(newBoot.status).toBe('fulfilled');
        // The old boot either committed first (then the new key revoked it) or found its key revoked.
        if (oldBoot.status === 'rejected') expect(String(oldBoot.reason)).toMatch(/WEFT_BOOTSTRAP_API_KEY was revoked/);
        expect(await validBootstrapHashes(admin)).toEqual([await hashOf(admin, next)]);
        current = next;
      }
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
