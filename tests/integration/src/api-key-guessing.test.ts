import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@weft/gateway';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

const get = async (gw: LoneGateway, key: string, path = '/v1/workflows') => {
  const r = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { detail?: string } };
};

describe('A bad API key costs Postgres at most one query, and guessing is cut off per address', () => {
  let roomy: LoneGateway;
  let strict: LoneGateway;
  beforeAll(async () => {
    // roomy: the failed-auth limit out of the way, to see the negative cache alone.
    roomy = await startLoneGateway({ app: { failedAuth: { max: 100_000, windowMs: 60_000 } } });
    strict = await startLoneGateway({ app: { failedAuth: { max: 10, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await roomy?.stop();
    await strict?.stop();
  });

  it('answers 100 attempts with the same bad key 401 with one database query in all', async () => {
    const bad = generateApiKey();
    const before = roomy.queries();
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(roomy, bad)));
    for (let i = 0; i < 50; i++) answers.push(await get(roomy, bad));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(401));
    expect(answers[0]!.type).toContain('application/problem+json');
    expect(roomy.queries() - before).toBe(1);
  });

  it('refuses an address with 429 and Retry-After once it looked up 10 keys, without looking the next keys up', async () => {
    const good = strict.apiKey;
    // The first lookup of the good key is one of the 10 (counted before it is known to be valid); now it is cached.
    expect((await get(strict, good)).status).toBe(200);
    const before = strict.queries();
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await get(strict, generateApiKey()));
    expect(answers.slice(0, 9).map((a) => a.status)).toEqual(Array(9).fill(401));
    expect(answers.slice(9).every((a) => a.status === 429)).toBe(true);
    const limited = answers[9]!;
    expect(limited.type).toContain('application/problem+json');
    expect(limited.body.detail).toContain('too many failed authentications');
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(strict.queries() - before).toBe(9);
    // A key already known to be valid is not slowed by its address's failures.
    expect((await get(strict, good)).status).toBe(200);
  });

  it('lets 50 concurrent attempts with distinct bad keys cause at most 10 lookups, and answers the rest 429', async () => {
    const gw = await startLoneGateway({ app: { failedAuth: { max: 10, windowMs: 60_000 } } });
    try {
      const before = gw.queries();
      const answers = await Promise.all(Array.from({ length: 50 }, () => get(gw, generateApiKey())));
      const statuses = answers.map((a) => a.status);
      expect(gw.queries() - before).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40);
      expect(answers.find((a) => a.status === 429)!.retryAfter).toMatch(/^[1-9]\d*$/);
    } finally {
      await gw.stop();
    }
  });

  it('counts a burst of 30 concurrent requests with one valid key not yet cached once, and answers them all 200', async () => {
    const gw = await startLoneGateway({ app: { failedAuth: { max: 10, windowMs: 60_000 } } });
    try {
      // The key's read is held (table lock) until every request reached the gateway, so none finds it cached.
      const lock = await gw.db.pool.connect();
      await lock.query('BEGIN; LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
      let received = 0;
      gw.app.server.on('request', () => received++);
      const pending = Promise.all(Array.from({ length: 30 }, () => get(gw, gw.apiKey)));
      while (received < 30) await new Promise((resolve) => setTimeout(resolve, 20));
      // Settle: the requests' hooks run on (not asserted on; too short would only let the test pass).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lock.query('COMMIT');
      lock.release();
      const answers = await pending;
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    } finally {
      await gw.stop();
    }
  });

  it('keeps the revocation of a valid key as it was: effective once its cached verdict expires', async () => {
    const gw = await startLoneGateway({ app: { apiKeyCacheMs: 0 } });
    try {
      const key = await gw.keyWithRole('admin');
      expect((await get(gw, key)).status).toBe(200);
      await gw.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE hash = encode(sha256($1::bytea), \'hex\')', [key]);
      expect((await get(gw, key)).status).toBe(401);
    } finally {
      await gw.stop();
    }
  });
});
