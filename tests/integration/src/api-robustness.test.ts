import { buildApp } from '@weft/gateway';
import { createLogger } from '@weft/logger';
import { createRedis } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, rawExchange } from './fuzz/raw-http';
import { startPlatform, type Platform } from './platform';

/** The 5xx the API fuzzer found (api-fuzz.test.ts), each pinned by a request that answered 500 or non-problem JSON before. */
let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
});
afterAll(async () => {
  await p?.stop();
});

async function http(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${p.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: JSON.parse(text) as { detail: string; errors?: { path: string; code: string }[] } };
}

const nested = (levels: number, leaf = '1') => '['.repeat(levels) + leaf + ']'.repeat(levels);

describe('Deeply nested JSON bodies are refused with 400 before any code recurses into them', () => {
  it('refuses POST /v1/workflows with nodes nested 10,000 arrays deep, naming the path', async () => {
    const r = await http('POST', '/v1/workflows', `{"name":"deep","definition":{"nodes":${nested(10_000)}}}`);
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.errors?.[0]).toMatchObject({ code: 'too_deep', path: `body.definition.nodes${'[0]'.repeat(126)}` });
    expect(r.body.detail).toContain('nested deeper than 128 levels');
  });

  it('refuses run inputs and an approval payload nested 10,000 levels deep', async () => {
    const inputs = await http('POST', '/v1/runs', `{"workflowId":"${crypto.randomUUID()}","inputs":{"a":${nested(10_000)}}}`);
    expect(inputs.status).toBe(400);
    expect(inputs.body.errors?.[0]?.code).toBe('too_deep');
    const payload = await http('POST', `/v1/runs/${crypto.randomUUID()}/resume`, `{"nodeId":"a","decision":"approve","payload":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
    expect(payload.status).toBe(400);
    expect(payload.body.errors?.[0]?.code).toBe('too_deep');
  });

  it('accepts a body exactly as deep as the limit and refuses one level more', async () => {
    // {"definition": ...} is level 1, so the definition may nest 127 levels.
    const at = await http('POST', '/v1/workflows/validate', `{"definition":${nested(127)}}`);
    expect(at.status).toBe(200);
    const over = await http('POST', '/v1/workflows/validate', `{"definition":${nested(128)}}`);
    expect(over.status).toBe(400);
  });
});

describe('Strings Postgres cannot store are refused with 400 naming where they are', () => {
  it('refuses NUL in a workflow name and in a secret description', async () => {
    const name = await http('POST', '/v1/workflows', JSON.stringify({ name: 'a\u0000b' }));
    expect(name.status).toBe(400);
    expect(name.body.errors?.[0]).toMatchObject({ path: 'body.name', code: 'invalid_string' });
    const secret = await http('POST', '/v1/secrets', JSON.stringify({ name: 'NUL_SECRET', value: 'v', description: 'x\u0000' }));
    expect(secret.status).toBe(400);
    expect(secret.body.errors?.[0]).toMatchObject({ path: 'body.description' });
  });

  it('refuses unpaired surrogates in a draft, in values and in keys', async () => {
    const wf = await p.client.createWorkflow({ name: 'surrogates' });
    const value = await http('PUT', `/v1/workflows/${wf.id}/draft`, '{"definition":{"nodes":[{"id":"t","type":"trigger","name":"\\ud800"}]}}');
    expect(value.status).toBe(400);
    expect(value.body.errors?.[0]).toMatchObject({ path: 'body.definition.nodes[0].name', code: 'invalid_string' });
    const key = await http('PUT', `/v1/workflows/${wf.id}/draft`, '{"definition":{"\\udc00":1}}');
    expect(key.status).toBe(400);
    expect(key.body.errors?.[0]?.path).toContain('body.definition key');
    // A well-formed pair (an emoji) is fine.
    expect((await http('PUT', `/v1/workflows/${wf.id}/draft`, '{"definition":{"nodes":[],"note":"\\ud83e\\uddf5"}}')).status).toBe(200);
  });

  it('answers a value Postgres refuses anyway (a route that does not check) with 400, not 500', async () => {
    const redis = createRedis(p.redisUrl, 'client');
    const app = await buildApp({ db: p.db, queues: p.queues, redis, logger: createLogger({ service: 'test', level: 'silent' }), prefix: p.prefix, createSubscriber: () => createRedis(p.redisUrl, 'client') });
    app.get('/v1/echo-text', { config: { access: { permission: 'runs:read' } } }, async (req) => (await p.db.pool.query('SELECT $1::text AS t', [(req.query as { t: string }).t])).rows[0]);
    try {
      const r = await app.inject({ url: '/v1/echo-text?t=a%00b', headers: { authorization: `Bearer ${p.apiKey}` } });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toContain('cannot be stored');
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});

describe('What Fastify refuses before a route runs is a problem+json too', () => {
  it('answers a malformed percent-encoding with 400 and an over-long path parameter with 414', async () => {
    const bad = await http('GET', '/v1/runs/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const long = await http('GET', `/v1/runs/${'a'.repeat(5_000)}`);
    expect(long.status).toBe(414);
    expect(long.type).toContain('application/problem+json');
    expect(long.body.detail).toContain('path parameter');
  });

  it('answers bytes that are not HTTP with 400 and oversized headers with 431, as problems', async () => {
    const garbage = await rawExchange(p.url, Buffer.from('HELLO\r\n\r\n'));
    expect(garbage.status).toBe(400);
    expect(garbage.contentType).toBe('application/problem+json');
    expect(JSON.parse(garbage.text)).toMatchObject({ status: 400, title: expect.any(String), type: expect.stringContaining('validation-failed') });
    const big = await rawExchange(p.url, httpRequest('GET', '/v1/workflows', { authorization: `Bearer ${p.apiKey}`, 'x-big': 'y'.repeat(20_000) }));
    expect(big.status).toBe(431);
    expect(big.contentType).toBe('application/problem+json');
  });

  it('says what is wrong with a body that is not JSON, empty, of another type or with a prototype key', async () => {
    expect((await http('POST', '/v1/workflows', '{"name":')).body.detail).toBe('the body is not valid JSON');
    expect((await http('POST', '/v1/workflows', '')).body.detail).toContain('the body is empty');
    const xml = await http('POST', '/v1/workflows', '<name/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.detail).toContain('send JSON with Content-Type: application/json');
    // text/plain too: Fastify parses it by default, and such a body would skip the JSON checks.
    expect((await http('POST', '/v1/workflows', '{"name":"x"}', { 'content-type': 'text/plain' })).status).toBe(415);
    for (const body of ['{"name":"x","__proto__":{"polluted":1}}', '{"name":"x","constructor":{"prototype":{"polluted":1}}}']) {
      const r = await http('POST', '/v1/workflows', body);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.code).toBe('forbidden_key');
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
