import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smtpMailer } from '@weft/mail';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';
import { signInByMagicLink } from './session-http';

// Approvals with `notify` (docs/approvals.md) on the whole pipeline: a run reaches the approval,
// the orchestrator's transition queues the notice through the outbox, an executor emails each
// assignee (a local SMTP server) and posts to Slack (a local incoming-webhook double), each with
// an approve and a reject link; the public link routes decide. Waits poll for a state, never a duration.

interface Mail { to: string[]; text: string }
const mails: Mail[] = [];
const slack: string[] = [];
/** Answers the Slack double gives before it accepts (500 = a Slack outage). */
const slackFailures: number[] = [];
let smtp: SMTPServer;
let http: Server;
let slackUrl: string;
let p: Platform;

/** The text of a raw message: quoted-printable soft breaks and escapes undone (nodemailer folds long lines). */
const decodeQp = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString())).on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeQp(data) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  // Slack's incoming webhook answers 200 "ok" (text/plain).
  http = createServer((req: IncomingMessage, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString())).on('end', () => {
      const fail = slackFailures.shift();
      if (fail) return res.writeHead(fail, { 'content-type': 'text/plain' }).end('internal_error');
      slack.push(b);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  slackUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/services/T000/B000/approvals`;
  p = await startPlatform({ alertMailer: smtpMailer(`smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`, 'Weft <approvals@weft.test>') });
  await p.client.createSecret({ name: 'SLACK_APPROVALS', value: slackUrl });
  // A member holding the assigned role: emailed too.
  expect((await callAs(p.url, p.apiKey, 'POST', '/v1/invitations', { email: 'boss@example.com', role: 'admin' })).status).toBe(201);
  await signInByMagicLink(p.url, p.db.pool, 'boss@example.com');
});

afterAll(async () => {
  await p?.stop();
  await new Promise<void>((r) => smtp?.close(() => r()));
  await new Promise<void>((r) => http?.close(() => r()));
});

async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const approvalNode = (notify: unknown, assignees: unknown = { role: 'admin', emails: ['Ann@Example.com'] }) => ({
  id: 'approve',
  type: 'wait_for_approval',
  config: { prompt: 'Ship order {{ input.order }}?', assignees, notify },
});

async function notifyingWorkflow(name: string) {
  const w = await p.client.createWorkflow({ name });
  await p.client.publishVersion(w.id, {
    nodes: [
      { id: 't', type: 'trigger', config: {} },
      approvalNode({ email: true, slack: { webhookUrl: '{{ secrets.SLACK_APPROVALS }}' } }),
      { id: 'shipped', type: 'transform', config: { expression: `'shipped'` } },
      { id: 'held', type: 'transform', config: { expression: `'held'` } },
    ],
    edges: [
      { source: 't', target: 'approve' },
      { source: 'approve', target: 'shipped', sourceHandle: 'approved' },
      { source: 'approve', target: 'held', sourceHandle: 'rejected' },
    ],
  });
  return w;
}

interface Links { approve: string; reject: string }
const linksIn = (text: string): Links => {
  const approve = /Approve: \S+\/approve\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  const reject = /Reject: +\S+\/approve\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!approve || !reject) throw new Error(`no links in ${text}`);
  return { approve, reject };
};
const slackLinks = (body: string): Links => {
  const text = (JSON.parse(body) as { text: string }).text;
  const [approve, reject] = [...text.matchAll(/\/approve\/([A-Za-z0-9_-]{43})\|(Approve|Reject)>/g)].map((m) => m[1]!);
  return { approve: approve!, reject: reject! };
};

/** Runs the workflow for `order` and waits for its three messages (ann, boss, Slack); their links. */
async function runToApproval(workflowId: string, order: string) {
  const { runId } = await p.client.createRun({ workflowId, inputs: { order } });
  const mine = (to: string) => mails.find((m) => m.to.includes(to) && m.text.includes(`Ship order ${order}?`));
  const ann = await until(`ann's email for ${order}`, () => mine('ann@example.com'));
  const boss = await until(`boss's email for ${order}`, () => mine('boss@example.com'));
  const posted = await until(`the Slack post for ${order}`, () => slack.find((b) => b.includes(`Ship order ${order}?`)));
  return { runId, ann: linksIn(ann.text), boss: linksIn(boss.text), slack: slackLinks(posted), annText: ann.text, slackBody: posted };
}

const link = (token: string) => `${p.url}/v1/approval-links/${token}`;
async function call(method: 'GET' | 'POST', token: string, body?: unknown) {
  const r = await fetch(link(token), { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: (await r.json()) as Record<string, unknown> };
}
const status = async (runId: string) => (await p.client.getRun(runId)).status;
const hashOf = (token: string) => createHash('sha256').update(token).digest();

describe('approval notices with single-use approve/reject links', () => {
  it('refuses notify by email without assignees, naming the node', async () => {
    const r = await callAs(p.url, p.apiKey, 'POST', '/v1/workflows/validate', {
      definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'approve', type: 'wait_for_approval', config: { prompt: 'ok?', notify: { email: true } } }], edges: [{ source: 't', target: 'approve' }] },
    });
    expect(r.body.valid).toBe(false);
    expect(r.body.errors[0]).toMatchObject({ nodeId: 'approve' });
    expect(JSON.stringify(r.body.errors)).toContain('assignees');
  });

  it('emails each assignee and posts to Slack; a GET only describes; the approve link decides once; every other link then answers 410', async () => {
    const w = await notifyingWorkflow('orders');
    const n = await runToApproval(w.id, 'A-1');
    expect(n.annText).toContain('"orders"');
    expect(n.annText).toContain(n.runId);
    // Each recipient has their own links.
    expect(new Set([n.ann.approve, n.boss.approve, n.slack.approve, n.ann.reject]).size).toBe(4);

    // A GET (a mail scanner's prefetch) tells what the link will do, and decides nothing.
    const seen = await call('GET', n.ann.approve);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ decision: 'approve', prompt: 'Ship order A-1?', runId: n.runId, nodeId: 'approve', workflow: { id: w.id, name: 'orders' }, recipient: 'ann@example.com' });
    expect(Date.parse(seen.body.expiresAt as string)).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    expect((await call('GET', n.ann.reject)).body.decision).toBe('reject');
    expect(await status(n.runId)).toBe('waiting');

    // A tampered token is unknown (404); a string that is no token is a 400; neither decides.
    const tampered = n.ann.approve.slice(0, -1) + (n.ann.approve.endsWith('A') ? 'B' : 'A');
    for (const method of ['GET', 'POST'] as const) {
      const r = await call(method, tampered, method === 'POST' ? {} : undefined);
      expect(r.status).toBe(404);
      expect(r.type).toContain('application/problem+json');
      const bad = await call(method, 'not-a-token', method === 'POST' ? {} : undefined);
      expect(bad.status).toBe(400);
    }
    expect(await status(n.runId)).toBe('waiting');

    const decided = await call('POST', n.ann.approve, { comment: 'looks right', payload: { ok: true } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ runId: n.runId, nodeId: 'approve', decision: 'approve', decidedBy: 'link:ann@example.com' });
    await until('the run ends', async () => (await status(n.runId)) === 'succeeded');
    const steps = (await p.client.allRunSteps(n.runId));
    expect(steps.find((s) => s.nodeId === 'shipped')?.status).toBe('succeeded');
    expect(steps.find((s) => s.nodeId === 'held')?.status).toBe('skipped');
    const events = (await p.client.runEvents(n.runId, { limit: 200 })).items;
    expect(events.find((e) => e.type === 'approval.resolved')?.data).toMatchObject({ decision: 'approved', decidedBy: 'link:ann@example.com' });
    const audit = await p.db.pool.query(`SELECT actor_type, action, data FROM audit_logs WHERE target_id = $1 AND action = 'run.approved'`, [n.runId]);
    expect(audit.rows).toEqual([expect.objectContaining({ actor_type: 'approval_link', data: expect.objectContaining({ recipient: 'ann@example.com', comment: 'looks right' }) })]);

    // Used once: the same link again, and every other link of the approval, answer 410 naming why.
    const again = await call('POST', n.ann.approve, {});
    expect(again).toMatchObject({ status: 410, body: { reason: 'link_used' } });
    for (const other of [n.ann.reject, n.boss.approve, n.boss.reject, n.slack.reject]) {
      const r = await call('POST', other, {});
      expect(r).toMatchObject({ status: 410, body: { reason: 'approval_decided' } });
      expect(r.type).toContain('application/problem+json');
      expect((await call('GET', other)).status).toBe(410);
    }
    const payload = (await p.client.allRunSteps(n.runId)).find((s) => s.nodeId === 'approve');
    expect(payload?.output).toEqual({ ok: true });
  });

  it('a reject link takes the rejected path; an expired link answers 410 and decides nothing', async () => {
    const w = await notifyingWorkflow('refunds');
    const n = await runToApproval(w.id, 'R-7');
    await p.db.pool.query(`UPDATE approval_links SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [hashOf(n.boss.approve)]);
    for (const method of ['GET', 'POST'] as const) {
      const r = await call(method, n.boss.approve, method === 'POST' ? {} : undefined);
      expect(r).toMatchObject({ status: 410, body: { reason: 'link_expired' } });
    }
    expect(await status(n.runId)).toBe('waiting');
    const decided = await call('POST', n.slack.reject);
    expect(decided).toMatchObject({ status: 200, body: { decision: 'reject', decidedBy: 'link:slack' } });
    await until('the run ends', async () => (await status(n.runId)) === 'succeeded');
    const steps = (await p.client.allRunSteps(n.runId));
    expect(steps.find((s) => s.nodeId === 'held')?.status).toBe('succeeded');
    expect(steps.find((s) => s.nodeId === 'shipped')?.status).toBe('skipped');
  });

  it('an approval decided through the API kills its links (410), and sends each message once', async () => {
    const w = await notifyingWorkflow('invoices');
    const n = await runToApproval(w.id, 'I-3');
    const admin = await mintKey(p.url, p.apiKey, 'admin');
    expect((await callAs(p.url, admin, 'POST', `/v1/runs/${n.runId}/resume`, { nodeId: 'approve', decision: 'approve' })).status).toBe(202);
    expect(await call('POST', n.ann.approve, {})).toMatchObject({ status: 410, body: { reason: 'approval_decided' } });
    expect(await call('GET', n.slack.reject)).toMatchObject({ status: 410, body: { reason: 'approval_decided' } });
    await until('the run ends', async () => (await status(n.runId)) === 'succeeded');
    expect(mails.filter((m) => m.text.includes('Ship order I-3?'))).toHaveLength(2);
    expect(slack.filter((b) => b.includes('Ship order I-3?'))).toHaveLength(1);
    const sent = await p.db.pool.query(`SELECT channel, recipient, status FROM approval_messages WHERE run_id = $1 ORDER BY channel, recipient`, [n.runId]);
    expect(sent.rows).toEqual([
      { channel: 'email', recipient: 'ann@example.com', status: 'sent' },
      { channel: 'email', recipient: 'boss@example.com', status: 'sent' },
      { channel: 'slack', recipient: 'slack', status: 'sent' },
    ]);
    // Only hashes are stored: no token of the messages is in the database.
    const stored = await p.db.pool.query(`SELECT count(*)::int AS n FROM approval_links WHERE run_id = $1 AND encode(token_hash, 'escape') LIKE '%' || $2 || '%'`, [n.runId, n.ann.approve]);
    expect(stored.rows[0].n).toBe(0);
  });

  it('a member demoted after the notice loses their links (410 recipient_unassigned); a named assignee keeps theirs', async () => {
    const w = await notifyingWorkflow('refunds');
    const n = await runToApproval(w.id, 'R-1');
    const { rows } = await p.db.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = 'boss@example.com'`);
    const demote = (role: string) => callAs(p.url, p.apiKey, 'PATCH', `/v1/members/${rows[0]!.id}`, { role });
    expect((await demote('viewer')).status).toBe(200);
    try {
      expect(await call('GET', n.boss.approve)).toMatchObject({ status: 410, body: { reason: 'recipient_unassigned' } });
      expect(await call('POST', n.boss.approve, {})).toMatchObject({ status: 410, body: { reason: 'recipient_unassigned' } });
      expect(await status(n.runId)).toBe('waiting');
      // Ann is named by the node itself: her link still decides.
      expect(await call('POST', n.ann.approve, {})).toMatchObject({ status: 200, body: { decision: 'approve', decidedBy: 'link:ann@example.com' } });
      await until('the run ends', async () => (await status(n.runId)) === 'succeeded');
    } finally {
      expect((await demote('admin')).status).toBe(200);
    }
  });

  it('tries a message again after a Slack outage, with new links; the links of the failed try never existed', async () => {
    slackFailures.push(500);
    const w = await notifyingWorkflow('payouts');
    const n = await runToApproval(w.id, 'P-9');
    const [row] = (await p.db.pool.query(`SELECT id, status, attempts FROM approval_messages WHERE run_id = $1 AND channel = 'slack'`, [n.runId])).rows;
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    const links = await p.db.pool.query(`SELECT decision FROM approval_links WHERE message_id = $1 ORDER BY decision`, [row.id]);
    expect(links.rows).toEqual([{ decision: 'approve' }, { decision: 'reject' }]);
    expect(await call('GET', n.slack.approve)).toMatchObject({ status: 200, body: { decision: 'approve', recipient: 'slack' } });
  });
});
