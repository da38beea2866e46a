import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AddressPolicy } from '@weft/executor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/**
 * A server that must never be reached: it counts every TCP connection it accepts. The blocked
 * targets below that are loopback point at it, so "refused" means "nothing connected", not
 * merely "the step failed".
 */
async function startCanary(host: string) {
  let connections = 0;
  const server: Server = createServer((_req, res) => res.end('reached'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The "public" server of the redirect cases: allowed by address, it redirects wherever asked. */
async function startRedirector(host: string) {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/to') {
      res.writeHead(302, { location: url.searchParams.get('u') ?? '/' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path: url.pathname }));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * These tests must never send a packet beyond loopback: before a URL whose host is not a
 * loopback address is handed to a workflow, the default policy must refuse that address (the
 * executor checks IP literals before it dials, so a refused literal is never dialled).
 */
function assertRefusedOffline(host: string) {
  const literal = host.replace(/^\[|\]$/g, '');
  expect(new AddressPolicy('').check(literal), `${host} must be refused by the default policy`).toBeDefined();
}

async function runRequest(p: Platform, url: string) {
  const wf = await p.client.createWorkflow({
    name: `ssrf ${url}`.slice(0, 200),
    definition: {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        // Retries are allowed: a refusal must not be retried.
        { id: 'h', type: 'http_request', config: { method: 'GET', url, retry: { maxAttempts: 3, initialDelayMs: 10 } } },
      ],
      edges: [{ source: 't', target: 'h' }],
    },
  });
  await p.client.publishVersion(wf.id);
  const run = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id })).runId);
  return { run, steps: run.steps.filter((s) => s.nodeId === 'h') };
}

describe('Outgoing HTTP with the default policy (no allow-list)', () => {
  let p: Platform;
  let canary4: Awaited<ReturnType<typeof startCanary>>;
  let canary6: Awaited<ReturnType<typeof startCanary>>;
  beforeAll(async () => {
    [p, canary4, canary6] = await Promise.all([startPlatform({ httpAllowCidrs: '' }), startCanary('127.0.0.1'), startCanary('::1')]);
  });
  afterAll(async () => {
    await p?.stop();
    await canary4?.close();
    await canary6?.close();
  });

  it('refuses loopback, private, link-local, CGNAT, metadata and every spelling of them, before connecting', async () => {
    const port = canary4.port;
    const cases: [url: string, code: string, offlineHost?: string][] = [
      [`http://127.0.0.1:${port}/`, 'ssrf_blocked'],
      [`http://[::ffff:127.0.0.1]:${port}/`, 'ssrf_blocked'],
      [`http://2130706433:${port}/`, 'ssrf_blocked'],
      [`http://0177.0.0.1:${port}/`, 'ssrf_blocked'],
      [`http://0x7f.1:${port}/`, 'ssrf_blocked'],
      [`http://0.0.0.0:${port}/`, 'ssrf_blocked'],
      [`http://localhost:${port}/`, 'ssrf_blocked'],
      [`http://LocalHost:${port}/`, 'ssrf_blocked'],
      [`http://[::1]:${canary6.port}/`, 'ssrf_blocked'],
      [`http://[::]:${canary6.port}/`, 'ssrf_blocked', '[::]'],
      ['http://169.254.169.254/latest/meta-data/', 'ssrf_blocked', '169.254.169.254'],
      ['http://[fd00:ec2::254]/latest/meta-data/', 'ssrf_blocked', '[fd00:ec2::254]'],
      ['http://10.0.0.1/', 'ssrf_blocked', '10.0.0.1'],
      ['http://192.168.1.1/', 'ssrf_blocked', '192.168.1.1'],
      ['http://100.64.0.1/', 'ssrf_blocked', '100.64.0.1'],
      ['http://[fc00::1]/', 'ssrf_blocked', '[fc00::1]'],
      ['http://[64:ff9b::a9fe:a9fe]/', 'ssrf_blocked', '[64:ff9b::a9fe:a9fe]'],
      ['http://[2002:a9fe:a9fe::1]/', 'ssrf_blocked', '[2002:a9fe:a9fe::1]'],
      ['file:///etc/passwd', 'ssrf_blocked'],
      [`gopher://127.0.0.1:${port}/_SET%20x%201`, 'ssrf_blocked'],
    ];
    for (const [, , host] of cases) if (host) assertRefusedOffline(host);
    const results = await Promise.all(cases.map(([url]) => runRequest(p, url)));
    results.forEach(({ run, steps }, i) => {
      const [url, code] = cases[i]!;
      expect(run.status, url).toBe('failed');
      expect(steps, `${url} must not be retried`).toHaveLength(1);
      expect(steps[0]!.error, url).toMatchObject({ code, retryable: false });
    });
    expect(canary4.connections()).toBe(0);
    expect(canary6.connections()).toBe(0);
  });
});

describe('Redirects are checked again (allow-list: only 127.0.0.2)', () => {
  let p: Platform;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let open: Awaited<ReturnType<typeof startRedirector>>;
  beforeAll(async () => {
    [p, canary, open] = await Promise.all([startPlatform({ httpAllowCidrs: '127.0.0.2/32' }), startCanary('127.0.0.1'), startRedirector('127.0.0.2')]);
  });
  afterAll(async () => {
    await p?.stop();
    await canary?.close();
    await open?.close();
  });

  it('follows a redirect between allowed addresses', async () => {
    const { run, steps } = await runRequest(p, `${open.url}/to?u=${encodeURIComponent(`${open.url}/landed`)}`);
    expect(run.status).toBe('succeeded');
    expect((steps[0]!.output as { body: unknown }).body).toEqual({ ok: true, path: '/landed' });
  });

  it('refuses an allowed server redirecting to a private address, before connecting', async () => {
    const targets: [target: string, offlineHost?: string][] = [
      [`http://127.0.0.1:${canary.port}/admin`],
      [`http://localhost:${canary.port}/admin`],
      [`http://[::ffff:127.0.0.1]:${canary.port}/admin`],
      [`http://2130706433:${canary.port}/admin`],
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', '169.254.169.254'],
      ['http://10.0.0.1/', '10.0.0.1'],
      ['file:///etc/passwd'],
    ];
    for (const [, host] of targets) if (host) assertRefusedOffline(host);
    const results = await Promise.all(targets.map(([target]) => runRequest(p, `${open.url}/to?u=${encodeURIComponent(target)}`)));
    results.forEach(({ run, steps }, i) => {
      const target = targets[i]![0];
      expect(run.status, target).toBe('failed');
      expect(steps, target).toHaveLength(1);
      expect(steps[0]!.error, target).toMatchObject({ code: 'ssrf_blocked', retryable: false });
    });
    expect(canary.connections()).toBe(0);
  });
});
