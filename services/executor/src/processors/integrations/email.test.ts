import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Budget } from '@weft/engine';
import { createLogger } from '@weft/logger';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../http/address-policy';
import type { StepContext } from '../types';
import { sendEmail, type SendEmailOptions } from './email';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8');
const CERT = fixture('test-only-smtp.cert.pem');
const KEY = fixture('test-only-smtp.key.pem');

interface Received {
  to: string[];
  secure: boolean;
  data: string;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A local SMTP server that keeps what it is sent and whether the session was encrypted. */
async function smtpServer(options: SMTPServerOptions) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...options,
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString())).on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, data });
        cb();
      });
    },
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, received };
}

/** The loopback allow-list of the tests: 127.0.0.1 is a local host the operator opened. */
const loopbackAllowed = new AddressPolicy('127.0.0.0/8');

/** The same, except that it treats 127.0.0.1 as a public address: the local server stands for one on the internet. */
class PublicLoopback extends AddressPolicy {
  override isAllowedLocal(): boolean {
    return false;
  }
}

async function send(policy: AddressPolicy, options: SendEmailOptions, smtpUrl: string) {
  const step: StepContext<'send_email'> = {
    config: { smtpUrl, from: 'bot@weft.test', to: 'ada@example.com', subject: 'Hello', text: 'Sent over {{ input.how }}.' },
    nodeType: 'send_email',
    context: { input: { how: 'SMTP' }, steps: {}, run: { id: 'r', workflowId: 'w' } },
    budget: new Budget(),
    signal: AbortSignal.timeout(20_000),
    ids: { runId: 'r', stepId: 's', nodeId: 'mail', attempt: 1, orgId: 'o', userId: null },
    logger: createLogger({ service: 'test', level: 'silent' }),
  };
  return sendEmail(policy, options)(step);
}

describe('send_email and TLS', () => {
  it('refuses a public SMTP server that does not offer STARTTLS, with a clear step error, and sends nothing', async () => {
    const plain = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const url = `smtp://127.0.0.1:${plain.port}`;
    for (const [policy, options] of [[new PublicLoopback('127.0.0.0/8'), {}], [loopbackAllowed, { requireTls: 'always' }]] as const) {
      const err = await send(policy, options, url).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'smtp_tls_required', retryable: false });
      expect((err as Error).message).toContain(`SMTP server 127.0.0.1:${plain.port} does not offer STARTTLS`);
      expect((err as Error).message).toContain('smtps://');
    }
    expect(plain.received).toEqual([]);
  });

  it('sends over STARTTLS to a server that offers it, verifying its certificate', async () => {
    const tls = await smtpServer({ key: KEY, cert: CERT });
    const url = `smtp://127.0.0.1:${tls.port}`;
    const out = await send(new PublicLoopback('127.0.0.0/8'), { ca: [CERT] }, url);
    expect(out).toMatchObject({ accepted: ['ada@example.com'], rejected: [] });
    expect(tls.received).toHaveLength(1);
    expect(tls.received[0]).toMatchObject({ to: ['ada@example.com'], secure: true });
    expect(tls.received[0]!.data).toContain('Sent over SMTP.');
    // A certificate nobody vouches for is refused, not accepted quietly.
    const untrusted = await send(new PublicLoopback('127.0.0.0/8'), {}, url).then(() => undefined, (e: unknown) => e);
    expect(untrusted).toMatchObject({ code: 'smtp_tls_failed', retryable: false });
    expect(tls.received).toHaveLength(1);
  });

  it('sends over implicit TLS (smtps://)', async () => {
    const implicit = await smtpServer({ key: KEY, cert: CERT, secure: true });
    const out = await send(new PublicLoopback('127.0.0.0/8'), { ca: [CERT] }, `smtps://127.0.0.1:${implicit.port}`);
    expect(out).toMatchObject({ accepted: ['ada@example.com'] });
    expect(implicit.received[0]).toMatchObject({ secure: true });
  });

  it('lets a local host opened by the allow-list go without TLS (a relay on the same machine)', async () => {
    const plain = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const out = await send(loopbackAllowed, {}, `smtp://127.0.0.1:${plain.port}`);
    expect(out).toMatchObject({ accepted: ['ada@example.com'] });
    expect(plain.received[0]).toMatchObject({ secure: false });
  });
});
