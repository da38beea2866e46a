import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@weft/gateway';
import { weftMetrics } from '@weft/metrics';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

// Small buckets and a clock the test moves: every assertion counts answers, none measures time.
const policies = {
  ip: { rate: 1, burst: 3 },
  'sign-in': { rate: 0.1, burst: 2 },
  key: { rate: 2, burst: 4 },
  'org-reads': { rate: 1, burst: 6 },
  'org-runs': { rate: 1, burst: 3 },
};
let clock = 1_000_000_000_000;
const rateLimits = { policies, now: () => clock };

interface Answer {
  status: number;
  type: string;
  policy: string | null;
  limit: string | null;
  retryAfter: string | null;
  body: { status?: number; title?: string; detail?: string };
}

async function send(base: string, key: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return {
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    policy: r.headers.get('ratelimit-policy'),
    limit: r.headers.get('ratelimit'),
    retryAfter: r.headers.get('retry-after'),
    body: text ? JSON.parse(text) : {},
  };
}

/** A new org with one admin key (inserted into Postgres: orgs cannot be created through the API yet). */
async function newOrgKey(gw: LoneGateway, slug: string): Promise<string> {
  const orgId = crypto.randomUUID();
  const key = generateApiKey();
  await gw.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, $2)`, [orgId, slug]);
  await gw.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'k', 'weft_', encode(sha256($3::bytea), 'hex'), 'admin')`, [crypto.randomUUID(), orgId, key]);
  return key;
}

async function sameKeyOfOrg(gw: LoneGateway, key: string): Promise<string> {
  const other = generateApiKey();
  await gw.db.pool.query(
    `INSERT INTO api_keys (id, org_id, name, prefix, hash, role) SELECT $1, org_id, 'k2', 'weft_', encode(sha256($2::bytea), 'hex'), 'admin' FROM api_keys WHERE hash = encode(sha256($3::bytea), 'hex')`,
    [crypto.randomUUID(), other, key],
  );
  return other;
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status);

let gw: LoneGateway;
let second: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ app: { rateLimits } });
  // Another gateway process of the same installation: same database, same Redis prefix.
  second = await startLoneGateway({ database: { url: gw.databaseUrl, drop: async () => undefined }, bootstrapKey: gw.apiKey, redis: gw.redis, app: { rateLimits } });
});
afterAll(async () => {
  await second?.stop();
  await gw?.stop();
});

describe('Rate limits: token buckets in Redis per key, per org and per address', () => {
  it('answers RateLimit-Policy and RateLimit on a read, counting the key and the org down', async () => {
    const key = await newOrgKey(gw, 'headers');
    const first = await send(gw.url, key, 'GET', '/v1/workflows');
    expect(first.status).toBe(200);
    expect(first.policy).toBe('"key";q=4;w=2, "org-reads";q=6;w=6');
    expect(first.limit).toBe('"key";r=3;t=1, "org-reads";r=5;t=1');
    const next = await send(gw.url, key, 'GET', '/v1/workflows');
    expect(next.limit).toBe('"key";r=2;t=1, "org-reads";r=4;t=2');
  });

  it('refuses a key past its burst with 429, Retry-After and problem+json, and takes nothing from the org for it', async () => {
    const key = await newOrgKey(gw, 'burst');
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await send(gw.url, key, 'GET', '/v1/workflows'));
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = answers[4]!;
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(refused.body.detail).toContain('"key"');
    expect(refused.body.detail).not.toContain('org-reads');
    expect(refused.retryAfter).toBe('1');
    // Counted for operators (weft_rate_limit_rejections_total), by the bucket that refused.
    expect((await weftMetrics.rateLimited.get()).values.find((v) => v.labels.bucket === 'key')?.value).toBeGreaterThanOrEqual(2);
    // A refusal states the policies of the route and what is left of the empty one.
    expect(refused.policy).toBe('"key";q=4;w=2, "org-reads";q=6;w=6');
    expect(refused.limit).toBe('"key";r=0;t=2');
    // The next one is refused from the gateway's memory of the empty bucket, with the same fields.
    expect(answers[5]!.limit).toBe('"key";r=0;t=2');
    expect(answers[5]!.retryAfter).toBe('1');
    // The org's bucket gave nothing to the refused requests: 2 of its 6 are left.
    expect((await send(gw.url, await sameKeyOfOrg(gw, key), 'GET', '/v1/workflows')).limit).toBe('"key";r=3;t=1, "org-reads";r=1;t=5');
  });

  it("answers a key that ignores 429 before its access check, with the security headers, but never where its role is refused (403 first)", async () => {
    const key = await newOrgKey(gw, 'ignores-429');
    const viewer = await send(gw.url, key, 'POST', '/v1/api-keys', { name: 'reader', role: 'viewer' });
    expect(viewer.status).toBe(201);
    const reader = (viewer.body as { key?: string }).key!;
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await send(gw.url, reader, 'GET', '/v1/workflows'));
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 429, 429]);
    // Known empty: refused from memory before the access check, answered like the first refusal.
    const early = await fetch(`${gw.url}/v1/workflows`, { headers: { authorization: `Bearer ${reader}` } });
    expect(early.status).toBe(429);
    expect(early.headers.get('ratelimit')).toBe('"key";r=0;t=2');
    expect(early.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(early.headers.get('x-request-id')).toBeTruthy();
    expect(await early.json()).toMatchObject({ status: 429, title: 'Too many requests', instance: '/v1/workflows' });
    // A route the viewer may not call is still refused for its role, not for its bucket.
    expect((await send(gw.url, reader, 'POST', '/v1/workflows', { name: 'no' })).status).toBe(403);
    // An unknown key is still 401, whatever buckets exist.
    expect((await send(gw.url, generateApiKey(), 'GET', '/v1/workflows')).status).toBe(401);
  });

  it('refills the buckets as the clock moves: two more requests a second at rate 2', async () => {
    const key = await newOrgKey(gw, 'refill');
    for (let i = 0; i < 4; i++) expect((await send(gw.url, key, 'GET', '/v1/me')).status).toBe(200);
    expect((await send(gw.url, key, 'GET', '/v1/me')).status).toBe(429);
    clock += 1_000;
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await send(gw.url, key, 'GET', '/v1/me'));
    expect(statuses(after)).toEqual([200, 200, 429]);
    clock += 60_000;
    // Full again, never above the burst.
    const full = await send(gw.url, key, 'GET', '/v1/me');
    expect(full.limit).toBe('"key";r=3;t=1, "org-reads";r=5;t=1');
  });

  it('limits an org across its keys: a second key of the org is refused by the org bucket once the first used it up', async () => {
    const key = await newOrgKey(gw, 'org-wide');
    const other = await sameKeyOfOrg(gw, key);
    for (let i = 0; i < 4; i++) expect((await send(gw.url, key, 'GET', '/v1/workflows')).status).toBe(200);
    const mixed = [];
    for (let i = 0; i < 3; i++) mixed.push(await send(gw.url, other, 'GET', '/v1/workflows'));
    expect(statuses(mixed)).toEqual([200, 200, 429]);
    expect(mixed[2]!.body.detail).toContain('"org-reads"');
    expect(mixed[2]!.body.detail).not.toContain('"key"');
    expect(mixed[2]!.limit).toBe('"org-reads";r=0;t=6');
  });

  it('counts run creation in its own org bucket, apart from reads', async () => {
    const key = await newOrgKey(gw, 'runs-class');
    const other = await sameKeyOfOrg(gw, key);
    // Counted before the body is read: a refused body still costs its token.
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await send(gw.url, i % 2 ? other : key, 'POST', '/v1/runs', {}));
    expect(statuses(runs)).toEqual([400, 400, 400, 429]);
    expect(runs[0]!.policy).toBe('"key";q=4;w=2, "org-runs";q=3;w=3');
    expect(runs[3]!.body.detail).toContain('"org-runs"');
    // Reads of the same org are still allowed: they draw from org-reads.
    const read = await send(gw.url, key, 'GET', '/v1/workflows');
    expect(read.status).toBe(200);
    expect(read.limit).toMatch(/"org-reads";r=5;/);
  });

  it('keeps orgs apart: an org whose buckets are empty does not take from another', async () => {
    const noisy = await newOrgKey(gw, 'noisy');
    const quiet = await newOrgKey(gw, 'quiet');
    const flood = [];
    for (let i = 0; i < 10; i++) flood.push(await send(gw.url, noisy, 'GET', '/v1/workflows'));
    expect(statuses(flood).filter((s) => s === 429)).toHaveLength(6);
    const calm = [];
    for (let i = 0; i < 4; i++) calm.push(await send(gw.url, quiet, 'GET', '/v1/workflows'));
    expect(statuses(calm)).toEqual([200, 200, 200, 200]);
  });

  it('shares each bucket between two gateway processes: the burst is the burst of the installation', async () => {
    const key = await newOrgKey(gw, 'two-gateways');
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await send(i % 2 ? second.url : gw.url, key, 'GET', '/v1/workflows'));
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    expect(answers[3]!.limit).toBe('"key";r=0;t=2, "org-reads";r=2;t=4');
    // Each gateway asks Redis before its first refusal of the key: both refuse.
    expect(answers[4]!.body.detail).toContain('"key"');
    expect(answers[5]!.body.detail).toContain('"key"');
  });

  it('does not limit the bootstrap org by default, and sends no RateLimit fields for it', async () => {
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await send(gw.url, gw.apiKey, 'GET', '/v1/workflows'));
    expect(statuses(answers)).toEqual(Array(20).fill(200));
    expect(answers[19]!.limit).toBeNull();
    expect(answers[19]!.policy).toBeNull();
  });

  it('limits the bootstrap org like any other when configured to', async () => {
    const limited = await startLoneGateway({ app: { rateLimits: { ...rateLimits, limitBootstrapOrg: true } } });
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await send(limited.url, limited.apiKey, 'GET', '/v1/workflows'));
      expect(statuses(answers)).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await limited.stop();
    }
  });

  it('limits public routes per client address, with the same fields', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await send(gw.url, undefined, 'GET', '/healthz'));
    expect(statuses(answers)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[0]!.policy).toBe('"ip";q=3;w=3');
    expect(answers[0]!.limit).toBe('"ip";r=2;t=1');
    expect(answers[3]!.retryAfter).toBe('1');
    expect(answers[3]!.type).toContain('application/problem+json');
    // An authenticated route is not drawn from the address's bucket.
    const key = await newOrgKey(gw, 'after-public');
    expect((await send(gw.url, key, 'GET', '/v1/workflows')).status).toBe(200);
  });

  it('limits a route that declares the sign-in class by the sign-in bucket of the address', async () => {
    const signIn = await startLoneGateway({ listen: false, app: { rateLimits } });
    try {
      signIn.app.post('/v1/test-sign-in', { config: { access: 'public', rateLimitClass: 'sign-in' } }, async () => ({ ok: true }));
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await signIn.app.inject({ method: 'POST', url: '/v1/test-sign-in' }));
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 429]);
      expect(answers[0]!.headers['ratelimit-policy']).toBe('"sign-in";q=2;w=20');
      expect(answers[2]!.headers['retry-after']).toBe('10');
    } finally {
      await signIn.stop();
    }
  });
});
