import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy';
import { StepHttpClient } from './client';
import { networkFailure, shownUrl, ssrfRefusal } from './messages';

const send = (client: StepHttpClient, url: string) => client.send({ orgId: 'o', method: 'GET', url, headers: {}, signal: AbortSignal.timeout(10_000) });

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('Messages of failed outgoing calls', () => {
  it('a URL is shown without credentials and with its query elided', () => {
    expect(shownUrl(new URL('https://user:pw@api.example.com:8443/v1/items?token=abc'))).toBe('https://api.example.com:8443/v1/items?…');
  });

  it('an SSRF refusal says it is deliberate and names the variable and CIDR that allow the host', () => {
    const m = ssrfRefusal('internal.example', '10.1.2.3', '10.1.2.3 is a private address');
    expect(m).toMatch(/^Blocked on purpose: internal\.example \(10\.1\.2\.3\) is not a public address/);
    expect(m).toContain('SSRF protection');
    expect(m).toContain('WEFT_HTTP_ALLOW_CIDRS=10.1.2.3/32');
    expect(ssrfRefusal('::1', '::1', 'x')).toContain('WEFT_HTTP_ALLOW_CIDRS=::1/128');
  });

  it('a DNS failure is told in words with the URL', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND api.exmaple.com'), { code: 'ENOTFOUND', hostname: 'api.exmaple.com' });
    expect(networkFailure('GET', new URL('https://api.exmaple.com/users'), err)).toBe(
      'Could not find the host api.exmaple.com: DNS has no address for it (ENOTFOUND). Check the spelling of the URL. GET https://api.exmaple.com/users',
    );
  });

  it('a refusal wrapped in an AggregateError (one error per address) is told by its first cause', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 192.0.2.1:81'), { code: 'ECONNREFUSED', address: '192.0.2.1', port: 81 });
    const err = Object.assign(new AggregateError([inner], ''), { code: 'ECONNREFUSED' });
    const m = networkFailure('POST', new URL('http://svc.example:81/hook'), err);
    expect(m).toBe('The connection to svc.example:81 was refused (ECONNREFUSED): nothing is listening on that port. POST http://svc.example:81/hook');
  });

  it('an unknown failure never starts with a stray ": " and keeps its code and message', () => {
    const m = networkFailure('GET', new URL('https://x.example/'), Object.assign(new Error(''), { code: '' }));
    expect(m).toBe('The request to x.example failed. GET https://x.example/');
    expect(networkFailure('GET', new URL('https://x.example/'), Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toMatch(
      /^The TLS connection to x\.example failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate\)/,
    );
  });
});

describe('The step HTTP client fails with those messages', () => {
  it('a refused connection to an allowed loopback port', async () => {
    const port = await closedPort();
    const client = new StepHttpClient(new AddressPolicy('127.0.0.0/8'), 1024);
    try {
      await expect(send(client, `http://127.0.0.1:${port}/ping?x=1`)).rejects.toMatchObject({
        code: 'network_error',
        retryable: true,
        message: `The connection to 127.0.0.1:${port} at 127.0.0.1:${port} was refused (ECONNREFUSED): nothing is listening on that port. GET http://127.0.0.1:${port}/ping?…`,
      });
    } finally {
      await client.close();
    }
  });

  it('a loopback address under the default policy, as an IP literal and through DNS (localhost)', async () => {
    const client = new StepHttpClient(new AddressPolicy(''), 1024);
    try {
      await expect(send(client, 'http://127.0.0.1:9/')).rejects.toMatchObject({ code: 'ssrf_blocked', retryable: false, message: expect.stringMatching(/^Blocked on purpose: 127\.0\.0\.1 is not a public address \(127\.0\.0\.1 is a loopback address\).*WEFT_HTTP_ALLOW_CIDRS=127\.0\.0\.1\/32$/) });
      await expect(send(client, 'http://localhost:9/')).rejects.toMatchObject({ code: 'ssrf_blocked', message: expect.stringMatching(/^Blocked on purpose: localhost \((127\.0\.0\.1|::1)\) is not a public address/) });
      await expect(send(client, 'file:///etc/passwd')).rejects.toMatchObject({ code: 'ssrf_blocked', message: expect.stringMatching(/^Blocked on purpose: the file: scheme is not allowed/) });
    } finally {
      await client.close();
    }
  });
});
