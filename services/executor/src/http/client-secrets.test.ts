import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretMasker } from '@weft/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithSecrets, type StepSecrets } from '../secrets/step-secrets';
import { AddressPolicy } from './address-policy';
import { StepHttpClient } from './client';

const SECRET = 'sk_live_0123456789abcdef';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function server(onRequest: (path: string, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const s: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '/', headers: req.headers, body });
      onRequest(req.url ?? '/', res);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

const stepSecrets = (values: string[]): StepSecrets => {
  const masker = new SecretMasker(values);
  return { values: {}, masker, mask: (v) => masker.mask(v), release: () => undefined };
};

let other: Awaited<ReturnType<typeof server>>;
let origin: Awaited<ReturnType<typeof server>>;
const client = new StepHttpClient(new AddressPolicy('127.0.0.0/8'), 1024 * 1024);

beforeAll(async () => {
  other = await server((_path, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echoed: SECRET, b64: Buffer.from(`Bearer ${SECRET}`).toString('base64') }));
  });
  origin = await server((path, res) => {
    const u = new URL(path, 'http://x');
    const to = u.searchParams.get('to');
    if (to) {
      res.writeHead(Number(u.searchParams.get('status') ?? 302), { location: to });
      return res.end();
    }
    res.writeHead(200);
    res.end('same origin');
  });
});
afterAll(async () => {
  await client.close();
  await other?.close();
  await origin?.close();
});

const call = (url: string, extra: { method?: string; body?: string; headers?: Record<string, string> } = {}) => ({
  orgId: 'org-test',
  method: extra.method ?? 'GET',
  url,
  headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET, cookie: 'sid=1', accept: 'application/json', ...extra.headers },
  ...(extra.body !== undefined ? { body: extra.body } : {}),
  signal: AbortSignal.timeout(5000),
});

describe('StepHttpClient and step secrets', () => {
  it('keeps credentials on a same-origin redirect', async () => {
    await client.send(call(`${origin.url}/start?to=${encodeURIComponent('/next')}`));
    expect(origin.seen.at(-1)).toMatchObject({ path: '/next', headers: { authorization: `Bearer ${SECRET}`, cookie: 'sid=1' } });
  });

  it('drops credential headers and headers holding a secret when a redirect leaves the origin', async () => {
    const before = other.seen.length;
    await runWithSecrets(stepSecrets([SECRET]), () => client.send(call(`${origin.url}/start?to=${encodeURIComponent(`${other.url}/elsewhere`)}`)));
    const got = other.seen.at(-1)!;
    expect(other.seen.length).toBe(before + 1);
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers.cookie).toBeUndefined();
    expect(got.headers['x-api-key']).toBeUndefined();
    expect(got.headers.accept).toBe('application/json');
  });

  it('refuses to resend a body holding a secret to another origin (307)', async () => {
    const before = other.seen.length;
    const err = await runWithSecrets(stepSecrets([SECRET]), () =>
      client.send(call(`${origin.url}/start?status=307&to=${encodeURIComponent(`${other.url}/post`)}`, { method: 'POST', body: JSON.stringify({ key: SECRET }) })),
    ).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'redirect_refused', retryable: false });
    expect(other.seen.length).toBe(before);
  });

  it('masks secrets, base64 forms included, in what the remote answers', async () => {
    const res = await runWithSecrets(stepSecrets([SECRET]), () => client.send(call(`${other.url}/echo`)));
    expect(JSON.stringify(res)).not.toContain(SECRET);
    expect((res.body as { echoed: string }).echoed).toBe('[secret]');
    expect((res.body as { b64: string }).b64).toContain('[secret]');
    // Outside a step with secrets nothing is masked.
    expect(((await client.send(call(`${other.url}/echo`))).body as { echoed: string }).echoed).toBe(SECRET);
  });
});
