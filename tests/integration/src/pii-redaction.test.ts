import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@weft/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePubSub, leakForms, scanPostgres, scanText } from './leak-scan';
import { startPlatform, type Platform } from './platform';

// What the local "CRM" answers: personal data of every kind, beside values that are not personal data.
const PII = {
  email: 'ada.lovelace@example.com',
  phone: '+44 20 7946 0958',
  national: '(415) 555-2671',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
  ssn: '123-45-6789',
  nino: 'AB 12 34 56 C',
  rejectedEmail: 'grace.hopper@example.com',
  rejectedIban: 'GB82 WEST 1234 5698 7654 32',
};
// Said by no server: the sum the chunk_sum function logs and returns (4000000000000000 + 111111111111111), a valid card number.
const DERIVED_CARD = '4111111111111111';
const CONTROL_EMAIL = 'control.person@example.org';

let p: Platform;
let server: Server;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/customer') {
      res.end(
        JSON.stringify({
          customer: { name: 'Ada Lovelace', email: PII.email, phone: PII.phone, mobile: PII.national, card: PII.card, iban: PII.iban, ssn: PII.ssn, nino: PII.nino },
          note: `Call Ada on ${PII.phone} or write to ${PII.email}`,
          orderId: 'ORD-2024-000123',
          placedAt: '2024-12-05T10:15:30.123Z',
          values: [4000000000000000, 111111111111111],
        }),
      );
    } else if (req.url === '/reject') {
      res.statusCode = 422;
      res.end(JSON.stringify({ error: `customer ${PII.rejectedEmail} is not allowed`, iban: PII.rejectedIban }));
    } else {
      res.end(JSON.stringify({ email: CONTROL_EMAIL }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logger = createLogger({ service: 'test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  p = await startPlatform({ logger });
});
afterAll(async () => {
  await p?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe('PII redaction', () => {
  it('keeps the personal data an HTTP step receives, and what a step logs, out of Postgres, live events and the service logs', async () => {
    const pubsub = await capturePubSub(p.redisUrl, p.prefix);
    const wf = await p.client.createWorkflow({
      name: 'crm sync',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'fetch', type: 'http_request', config: { method: 'GET', url: `${base}/customer` } },
          { id: 'reject', type: 'http_request', config: { method: 'GET', url: `${base}/reject`, continueOnFail: true } },
          { id: 'sum', type: 'function', config: { name: 'chunk_sum', args: { values: '{{ steps.fetch.output.body.values }}', chunkSize: 1 } } },
          { id: 'pick', type: 'transform', config: { expression: '{ email: steps.fetch.output.body.customer.email, order: steps.fetch.output.body.orderId }' } },
          { id: 'raw', type: 'http_request', config: { method: 'GET', url: `${base}/control` } },
        ],
        edges: [
          { source: 't', target: 'fetch' },
          { source: 'fetch', target: 'reject' },
          { source: 'reject', target: 'sum' },
          { source: 'sum', target: 'pick' },
          { source: 'pick', target: 'raw' },
        ],
        settings: { pii: { redact: ['email', 'phone', 'card', 'iban', 'national_id'], nodes: { raw: { redact: false } } } },
      },
    });
    await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id });
    const run = await p.client.waitForRun(runId);
    pubsub.close();
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded');

    // What is kept says what was there, and keeps what is not personal data.
    const fetch = run.steps.find((s) => s.nodeId === 'fetch')!.output as { body: Record<string, unknown> };
    expect(fetch.body).toMatchObject({
      customer: { name: 'Ada Lovelace', email: '[redacted:email]', phone: '[redacted:phone]', mobile: '[redacted:phone]', card: '[redacted:card]', iban: '[redacted:iban]', ssn: '[redacted:national_id]', nino: '[redacted:national_id]' },
      note: 'Call Ada on [redacted:phone] or write to [redacted:email]',
      orderId: 'ORD-2024-000123',
      placedAt: '2024-12-05T10:15:30.123Z',
    });
    expect(run.steps.find((s) => s.nodeId === 'reject')).toMatchObject({ status: 'failed', error: { code: 'http_error', details: { body: { error: 'customer [redacted:email] is not allowed', iban: '[redacted:iban]' } } } });
    expect(run.steps.find((s) => s.nodeId === 'sum')!.output).toMatchObject({ total: '[redacted:card]' });
    expect(run.steps.find((s) => s.nodeId === 'pick')!.output).toEqual({ email: '[redacted:email]', order: 'ORD-2024-000123' });
    expect(run.logs.some((l) => l.msg.includes('running total [redacted:card]'))).toBe(true);
    // The node whose redaction is off keeps its data as received: the scan below can find what is there.
    expect(run.steps.find((s) => s.nodeId === 'raw')!.output).toMatchObject({ body: { email: CONTROL_EMAIL } });

    const forms = [...Object.values(PII), DERIVED_CARD, PII.card.replace(/ /g, ''), PII.iban.replace(/ /g, '')].flatMap(leakForms);
    const pg = await scanPostgres(p.db, forms);
    expect(pg.columns).toBeGreaterThan(100);
    expect([...pg.leaks, ...scanText('pub/sub', pubsub.messages, forms), ...scanText('logs', logLines, forms)]).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(pubsub.messages.some((m) => m.includes('[redacted:card]'))).toBe(true);
    expect((await scanPostgres(p.db, [CONTROL_EMAIL])).leaks.map((l) => l.where)).toContain('run_steps.output');
  });

  it('refuses a kind it does not know, at its path', async () => {
    const r = await p.client
      .call<unknown>('POST', '/v1/workflows/validate', { definition: { nodes: [{ id: 't', type: 'trigger', config: {} }], edges: [], settings: { pii: { redact: ['passport'] } } } })
      .then((body) => ({ status: 200, body }))
      .catch((e: { status: number; body: unknown }) => e);
    const errors = (r.body as { errors: { path: string }[] }).errors;
    expect(errors.map((e) => e.path)).toContain('settings.pii.redact[0]');
  });
});
