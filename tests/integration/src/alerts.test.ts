import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluateRunAlerts } from '@weft/alerts';
import { smtpMailer } from '@weft/mail';
import { verifyStandard } from '@weft/webhook-signatures';
import type { AlertDeliveryView, AlertIncidentView } from '@weft/workflow-schema';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// Alerts on the whole pipeline: real runs end, the trigger on `runs` queues their evaluation
// through the outbox, executors evaluate and deliver to local doubles of the outside: an SMTP
// server, a Slack incoming webhook, and a receiver that verifies Standard Webhooks signatures.
// Waits poll for a state, never a duration.

interface Mail { to: string[]; data: string }
interface Hit { headers: IncomingMessage['headers']; body: string }

const mails: Mail[] = [];
const slack: Hit[] = [];
const hooks: Hit[] = [];
/** Answers the Slack double gives before it accepts (500 = a Slack outage). */
const slackFailures: number[] = [];
let smtp: SMTPServer;
let http: Server;
let httpUrl: string;
let p: Platform;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString())).on('end', () => resolve(b));
  });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString())).on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  // Slack's incoming webhook answers 200 "ok" (text/plain); the receiver answers 204.
  http = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url?.startsWith('/services/')) {
      const fail = slackFailures.shift();
      if (fail) return res.writeHead(fail, { 'content-type': 'text/plain' }).end('internal_error');
      slack.push({ headers: req.headers, body });
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
    hooks.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  p = await startPlatform({ alertMailer: smtpMailer(`smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`, 'Weft <alerts@weft.test>') });
});

afterAll(async () => {
  await p?.stop();
  await new Promise<void>((r) => smtp?.close(() => r()));
  await new Promise<void>((r) => http?.close(() => r()));
});

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A workflow whose run fails when its input says `fail: true` (a terminate node), else succeeds. */
async function flakyWorkflow(name: string) {
  const w = await p.client.createWorkflow({ name });
  await p.client.publishVersion(w.id, {
    nodes: [
      { id: 't', type: 'trigger', config: {} },
      { id: 'b', type: 'branch', config: { condition: 'input.fail' } },
      { id: 'boom', type: 'terminate', config: { status: 'failed', message: 'the order service is down' } },
      { id: 'ok', type: 'transform', config: { expression: 'input' } },
    ],
    edges: [
      { source: 't', target: 'b' },
      { source: 'b', target: 'boom', sourceHandle: 'true' },
      { source: 'b', target: 'ok', sourceHandle: 'false' },
    ],
  });
  return w;
}

/** Runs the workflow once per letter of `pattern` (F fails, S succeeds), each to its end, in order; their ids. */
async function runPattern(workflowId: string, pattern: string): Promise<string[]> {
  const ids: string[] = [];
  for (const c of pattern) {
    const { runId } = await p.client.createRun({ workflowId, inputs: { fail: c === 'F' } });
    await until(`run ${runId} ends`, async () => ['succeeded', 'failed'].includes((await p.client.getRun(runId)).status));
    ids.push(runId);
  }
  return ids;
}

const incidents = async (workflowId: string) => (await p.client.listAlertIncidents({ workflowId })).items;
const deliveries = async (ruleId: string): Promise<AlertDeliveryView[]> => (await p.client.alertDeliveries(ruleId)).items;

describe('alert conditions and channels', () => {
  it('failure by email: 10 failing runs open ONE incident and send one message; the first success resolves it and says so', async () => {
    const w = await flakyWorkflow('orders');
    const rule = await p.client.createAlert(w.id, { name: 'orders failing', condition: { type: 'failure' }, channel: { type: 'email', to: ['oncall@example.com'] } });
    // Ten at once: their evaluations race for the rule (its lock and the one-open-incident index).
    const runs = await Promise.all(Array.from({ length: 10 }, () => p.client.createRun({ workflowId: w.id, inputs: { fail: true } })));
    for (const r of runs) await until('a failed run', async () => (await p.client.getRun(r.runId)).status === 'failed');
    const open = await until('the incident counts all ten failures', async () => {
      const list = await incidents(w.id);
      return list.length === 1 && list[0]!.failures === 10 ? list[0] : undefined;
    });
    expect(open).toMatchObject({ status: 'open', ruleId: rule.id, recoveryRunId: null });
    await until('the alert email', () => mails.some((m) => m.data.includes('Alert: orders')));
    const [success] = await runPattern(w.id, 'S');
    const resolved = await until('the incident resolved', async () => {
      const [i] = await incidents(w.id);
      return i?.status === 'resolved' ? i : undefined;
    });
    expect(resolved).toMatchObject({ id: open.id, recoveryRunId: success, failures: 10 });
    await until('the recovery email', () => mails.some((m) => m.data.includes('Resolved: orders recovered')));
    const ours = mails.filter((m) => m.data.includes('orders'));
    expect(ours.map((m) => (m.data.includes('Resolved') ? 'recovered' : 'opened'))).toEqual(['opened', 'recovered']);
    expect(ours[0]!.to).toEqual(['oncall@example.com']);
    expect(ours[0]!.data).toContain('the order service is down');
    const sent = await deliveries(rule.id);
    expect(sent.map((d) => [d.kind, d.status])).toEqual([['recovered', 'delivered'], ['opened', 'delivered']]);
    expect(sent[0]!.attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true, responseCode: 250 })]);
  });

  it('N failures in a row to Slack: two failures say nothing, the third in a row alerts; a Slack outage is retried until it is delivered', async () => {
    const w = await flakyWorkflow('billing');
    const webhookUrl = `${httpUrl}/services/T000/B000/XXXXSECRET`;
    const rule = await p.client.createAlert(w.id, { name: 'billing streak', condition: { type: 'consecutive_failures', count: 3 }, channel: { type: 'slack', webhookUrl }, notifyRecovery: true });
    slackFailures.push(500);
    const ids = await runPattern(w.id, 'FFSFFF');
    const open = await until('the incident', async () => (await incidents(w.id))[0]);
    expect(open).toMatchObject({ status: 'open', firstRunId: ids[3], lastRunId: ids[5], failures: 3 });
    const delivered = await until('the Slack message after a failed try', async () => {
      const [d] = await deliveries(rule.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivered.attempts.map((a) => [a.attempt, a.ok, a.responseCode])).toEqual([[1, false, 500], [2, true, 200]]);
    expect(slack).toHaveLength(1);
    const message = JSON.parse(slack[0]!.body) as { text: string; blocks: unknown[] };
    expect(message.text).toContain('billing: 3 runs failed in a row');
    expect(message.blocks.length).toBeGreaterThan(0);
    await runPattern(w.id, 'S');
    await until('the recovery on Slack', () => slack.length === 2);
    expect(JSON.parse(slack[1]!.body).text).toContain('Resolved: billing recovered');
    // The Slack URL is a secret: never shown back.
    const shown = JSON.stringify(await p.client.listAlerts(w.id));
    expect(shown).not.toContain('XXXXSECRET');
    expect((await p.client.listAlerts(w.id)).items[0]!.channel).toEqual({ type: 'slack', host: new URL(httpUrl).host });
  });

  it('a failure rate to a signed webhook: 2 of the last 4 runs open it, a window back under the rate resolves it; every message verifies', async () => {
    const w = await flakyWorkflow('search');
    const rule = await p.client.createAlert(w.id, {
      name: 'search flaky',
      condition: { type: 'failure_rate', threshold: 0.5, windowRuns: 4, minRuns: 4 },
      channel: { type: 'webhook', url: `${httpUrl}/alerts` },
    });
    expect(rule.secret).toMatch(/^whsec_/);
    expect((await p.client.listAlerts(w.id)).items[0]).not.toHaveProperty('secret');
    // Three runs: under the minimum count, whatever their rate.
    await runPattern(w.id, 'FSF');
    await runPattern(w.id, 'S');
    await until('the rate incident', async () => (await incidents(w.id))[0]);
    await until('the webhook', () => hooks.length === 1);
    await runPattern(w.id, 'SS');
    await until('the recovery webhook', () => hooks.length === 2);
    const bodies = hooks.map((h) => {
      const verdict = verifyStandard(
        { headers: Object.fromEntries(Object.entries(h.headers).map(([k, v]) => [k, String(v)])), rawBody: Buffer.from(h.body) },
        { secrets: [rule.secret!], nowSeconds: Math.floor(Date.now() / 1000) },
      );
      expect(verdict).toEqual({ ok: true });
      return JSON.parse(h.body) as { type: string; data: { incident: AlertIncidentView; rule: { id: string; summary: string }; workflow: { id: string } } };
    });
    expect(bodies.map((b) => b.type)).toEqual(['alert.opened', 'alert.recovered']);
    expect(bodies[0]!.data).toMatchObject({ rule: { id: rule.id, summary: '≥ 50 % of the last 4 runs failed (at least 4 runs)' }, workflow: { id: w.id } });
    expect(bodies[1]!.data.incident.status).toBe('resolved');
    // Each message keeps one webhook-id across its tries; two messages, two ids.
    expect(new Set(hooks.map((h) => h.headers['webhook-id'])).size).toBe(2);
  });

  it('a test message goes out on the channel and is recorded with its attempt', async () => {
    const w = await flakyWorkflow('reports');
    const rule = await p.client.createAlert(w.id, { name: 'reports', condition: { type: 'failure' }, channel: { type: 'email', to: ['team@example.com'] } });
    const { deliveryId } = await p.client.testAlert(rule.id);
    await until('the test email', () => mails.some((m) => m.data.includes('Test alert: reports')));
    const [d] = await until('the delivery recorded', async () => ((await deliveries(rule.id))[0]?.status === 'delivered' ? deliveries(rule.id) : undefined));
    expect(d).toMatchObject({ id: deliveryId, kind: 'test', status: 'delivered', incidentId: null });
  });

  it('a Slack answer that cannot improve (404 no_service) fails the delivery at once', async () => {
    const w = await flakyWorkflow('gone');
    const rule = await p.client.createAlert(w.id, { name: 'gone', condition: { type: 'failure' }, channel: { type: 'slack', webhookUrl: `${httpUrl}/services/T/B/GONE` } });
    slackFailures.push(404);
    await p.client.testAlert(rule.id);
    const [d] = await until('the delivery failed', async () => ((await deliveries(rule.id))[0]?.status === 'failed' ? deliveries(rule.id) : undefined));
    expect(d!.attempts).toEqual([expect.objectContaining({ attempt: 1, ok: false, responseCode: 404 })]);
  });
});

describe('de-duplication under concurrency', () => {
  it('evaluations of the same failed run by five workers at once open one incident and one delivery', async () => {
    const w = await flakyWorkflow('racing');
    await p.client.createAlert(w.id, { name: 'racing', condition: { type: 'failure' }, channel: { type: 'email', to: ['a@example.com'] }, enabled: false });
    const [runId] = await runPattern(w.id, 'F');
    // The rule was disabled when the run ended (nothing queued); enabled now, five evaluations race.
    const rule = (await p.client.listAlerts(w.id)).items[0]!;
    await p.client.updateAlert(rule.id, { enabled: true });
    const results = await Promise.all(Array.from({ length: 5 }, () => evaluateRunAlerts(p.db.pool, p.queues, runId!)));
    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    expect(results.flatMap((r) => r.deliveries)).toHaveLength(1);
    expect(await incidents(w.id)).toHaveLength(1);
  });
});

describe('the alerts API', () => {
  it('answers 400 naming the path of bad input, 404 for another org, and checks roles', async () => {
    const w = await flakyWorkflow('api');
    const bad = await p.app.inject({
      method: 'POST',
      url: `/v1/workflows/${w.id}/alerts`,
      headers: { authorization: `Bearer ${p.apiKey}` },
      payload: { name: 'x', condition: { type: 'consecutive_failures', count: 0 }, channel: { type: 'email', to: ['a@example.com'] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('body.condition.count');
    const badChannel = await p.app.inject({
      method: 'POST',
      url: `/v1/workflows/${w.id}/alerts`,
      headers: { authorization: `Bearer ${p.apiKey}` },
      payload: { name: 'x', condition: { type: 'failure' }, channel: { type: 'email', to: ['not an address'] } },
    });
    expect(badChannel.statusCode).toBe(400);
    expect(badChannel.json().errors.map((e: { path: string }) => e.path)).toContain('body.channel.to[0]');
    const rule = await p.client.createAlert(w.id, { name: 'api', condition: { type: 'failure' }, channel: { type: 'email', to: ['a@example.com'] } });
    const other = await p.newOrgClient();
    await expect(other.testAlert(rule.id)).rejects.toMatchObject({ status: 404 });
    await expect(other.listAlerts(w.id)).rejects.toMatchObject({ status: 404 });
    expect((await other.listAlertIncidents({ workflowId: w.id })).items).toEqual([]);
    const viewer = await p.client.createApiKey({ name: 'viewer', role: 'viewer' });
    const asViewer = await p.app.inject({ method: 'POST', url: `/v1/alerts/${rule.id}/test`, headers: { authorization: `Bearer ${viewer.key}` } });
    expect(asViewer.statusCode).toBe(403);
    const updated = await p.client.updateAlert(rule.id, { condition: { type: 'failure_rate', threshold: 0.25, windowMinutes: 60, minRuns: 5 } });
    expect(updated.condition).toEqual({ type: 'failure_rate', threshold: 0.25, windowMinutes: 60, minRuns: 5 });
    await p.client.deleteAlert(rule.id);
    expect((await p.client.listAlerts(w.id)).items).toEqual([]);
  });
});
