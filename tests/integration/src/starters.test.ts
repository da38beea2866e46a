import { createHmac } from 'node:crypto';
import { tickSchedules } from '@weft/orchestrator';
import type { WeftClient } from '@weft/sdk';
import { STARTER_TEMPLATES } from '@weft/templates/starters';
import { seedStarterTemplates, WEFT_CREATOR } from '@weft/templates/seed';
import { signGithub, signStandard, signStripe, standardKey } from '@weft/webhook-signatures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from './mailbox';
import { startPlatform, type Platform } from './platform';
import { startSaasFakes } from './saas-fakes';
import { AUDIO_BYTES } from './saas-web';
import { startWebhooksService, type WebhooksService } from './webhooks-service';

// Every starter template, installed through POST /v1/installations with its slots mapped to the
// installer's secrets, started the way it is meant to be (API run, signed webhook delivery,
// schedule fire), and run on the whole platform against local doubles of the services it calls.
type Run = Awaited<ReturnType<WeftClient['getRun']>>;
let p: Platform;
let hooks: WebhooksService;
let fakes: Awaited<ReturnType<typeof startSaasFakes>>;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;

const RELAY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** The installer's secrets (their own names: the mapping binds each slot to one). */
const SECRETS = () => ({
  MY_SLACK: 'xoxb-good', MY_SHEETS: 'ya29.good', MY_OPENAI: 'sk-good', MY_GEMINI: 'gk-good', MY_SMTP: mailbox.url,
  MY_LOOKUP: 'lookup-good', MY_TARGET: 'target-good', MY_RELAY: RELAY_SECRET,
});
const SLOT_TO_SECRET: Record<string, string> = {
  SLACK_BOT_TOKEN: 'MY_SLACK', GOOGLE_SHEETS_TOKEN: 'MY_SHEETS', OPENAI_API_KEY: 'MY_OPENAI', GEMINI_API_KEY: 'MY_GEMINI', SMTP_URL: 'MY_SMTP',
  LOOKUP_API_TOKEN: 'MY_LOOKUP', TARGET_API_TOKEN: 'MY_TARGET', RELAY_SIGNING_SECRET: 'MY_RELAY',
};

beforeAll(async () => {
  [fakes, mailbox] = await Promise.all([startSaasFakes(), startMailbox()]);
  p = await startPlatform({ integrationUrls: fakes.urls });
  hooks = await startWebhooksService(p);
  for (const [name, value] of Object.entries(SECRETS())) await p.client.createSecret({ name, value });
}, 120_000);
afterAll(async () => {
  await hooks?.stop();
  await p?.stop();
  await fakes?.close();
  await mailbox?.close();
});

interface Installed {
  workflowId: string;
  slug: string;
}

const web = (path: string) => `${fakes.base}/web/${path}`;
const callsTo = (service: string, since: number) => fakes.calls.slice(since).filter((c) => c.service === service);
const mailSince = (since: number) => mailbox.messages.slice(since);
const now = () => Math.floor(Date.now() / 1000);

async function apiRun(i: Installed, inputs: Record<string, unknown>) {
  return p.client.waitForRun((await p.client.createRun({ workflowId: i.workflowId, inputs: inputs as never })).runId, { timeoutMs: 120_000 });
}

/** A webhook of the installed workflow with the starter's scheme, and one delivery signed the way its sender signs. */
async function deliver(i: Installed, body: unknown, opts: { scheme: 'standard-webhooks' | 'github' | 'stripe' | 'header'; query?: string; event?: string }) {
  const secret = opts.scheme === 'standard-webhooks' ? RELAY_SECRET : 'a-shared-secret-of-some-length';
  const hook = await p.client.createWebhook(i.workflowId, { verification: { scheme: opts.scheme, secret, ...(opts.scheme === 'header' ? { header: 'x-form-secret' } : {}) } });
  const raw = JSON.stringify(body);
  const headers: Record<string, string> =
    opts.scheme === 'github' ? { 'x-github-event': opts.event ?? 'issues', 'x-github-delivery': crypto.randomUUID(), 'user-agent': 'GitHub-Hookshot/abc', 'x-hub-signature-256': signGithub(secret, raw) }
      : opts.scheme === 'stripe' ? { 'stripe-signature': signStripe(secret, now(), raw), 'user-agent': 'Stripe/1.0' }
        : opts.scheme === 'header' ? { 'x-form-secret': secret }
          : { 'webhook-id': `msg_${crypto.randomUUID()}`, 'webhook-timestamp': String(now()), 'webhook-signature': '' };
  if (opts.scheme === 'standard-webhooks') headers['webhook-signature'] = signStandard(secret, headers['webhook-id']!, headers['webhook-timestamp']!, raw);
  const r = await hooks.deliver(hook.id, raw, headers, opts.query ?? '');
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return p.client.waitForRun(r.body.runId, { timeoutMs: 120_000 });
}

/** A schedule of the installed workflow, fired once at its next nominal time (the scheduler driven by hand). */
async function fireSchedule(i: Installed, cron: string, inputs: Record<string, unknown>) {
  const s = await p.client.createSchedule(i.workflowId, { cron, timezone: 'UTC', inputs: inputs as never });
  await tickSchedules(p.db.pool, p.queues, { misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 10, batch: 100 }, undefined, new Date(s.nextRunAt!));
  const { rows } = await p.db.pool.query<{ run_id: string }>('SELECT run_id FROM schedule_fires WHERE schedule_id = $1 AND run_id IS NOT NULL', [s.id]);
  expect(rows).toHaveLength(1);
  await p.client.updateSchedule(s.id, { enabled: false });
  return p.client.waitForRun(rows[0]!.run_id, { timeoutMs: 120_000 });
}

async function waitFor(runId: string, status: string) {
  for (let n = 0; n < 1200; n++) {
    const run = await p.client.getRun(runId);
    if (run.status === status) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} never ${status}`);
}

type Case = { slug: string; run: (i: Installed) => Promise<Run>; check: (run: Run, since: { calls: number; mail: number }) => void | Promise<void> };

const CASES: Case[] = [
  {
    slug: 'fetch-and-reshape',
    run: (i) => apiRun(i, { url: web('metrics.json') }),
    check: (run) => expect(run.output).toEqual({ status: 200, body: { signups: 12, orders: 7, revenue: 1234.5 } }),
  },
  {
    slug: 'route-by-condition',
    run: (i) => apiRun(i, { amount: 250, customer: 'Ada' }),
    check: (run) => expect(run.output).toEqual({ customer: 'Ada', decision: { route: 'review', amount: 250 } }),
  },
  {
    slug: 'approval-gate',
    run: async (i) => {
      const { runId } = await p.client.createRun({ workflowId: i.workflowId, inputs: { amount: 40, reason: 'Damaged parcel' } });
      await waitFor(runId, 'waiting');
      await p.client.resumeRun(runId, { nodeId: 'approve', decision: 'approve' });
      return p.client.waitForRun(runId, { timeoutMs: 120_000 });
    },
    check: (run) => expect(run.output).toEqual({ refund: { refunded: true, amount: 40 } }),
  },
  {
    slug: 'slack-alert-on-failed-http-check',
    run: (i) => apiRun(i, { url: web('status/500'), channel: '#ops' }),
    check: (run, since) => {
      expect(run.output).toEqual({ healthy: false, error: 'http_error', status: 500, alertTs: '1700000000.000100' });
      const [post] = callsTo('slack', since.calls);
      expect(post!.headers.authorization).toBe('Bearer xoxb-good');
      expect(post!.body).toMatchObject({ channel: '#ops', text: expect.stringContaining(`Check failed for ${web('status/500')}: HTTP 500`) });
    },
  },
  {
    slug: 'google-sheets-append-from-webhook',
    run: (i) => deliver(i, { name: 'Ada', email: 'ada@example.com', message: 'Hi' }, { scheme: 'standard-webhooks', query: '?spreadsheetId=inbox-sheet' }),
    check: (run, since) => {
      expect(run.output).toEqual({ updatedRange: 'Inbox!A2:D2', rows: 1 });
      const [append] = callsTo('sheets', since.calls);
      expect(append!.path).toContain('/sheets/v4/spreadsheets/inbox-sheet/values/Inbox!A%3AD:append');
      expect((append!.body as { values: unknown[][] }).values[0]!.slice(1)).toEqual(['Ada', 'ada@example.com', 'Hi']);
    },
  },
  {
    slug: 'llm-web-page-summary',
    run: (i) => apiRun(i, { url: web('page') }),
    check: (run, since) => {
      expect(run.output).toMatchObject({ url: web('page'), summary: expect.stringContaining('Durable workflows for everyone.') });
      const [ai] = callsTo('openai', since.calls);
      expect(ai!.headers.authorization).toBe('Bearer sk-good');
      expect((ai!.body as { messages: { role: string }[] }).messages.map((m) => m.role)).toEqual(['system', 'user']);
    },
  },
  {
    slug: 'llm-ticket-triage-with-approval',
    run: async (i) => {
      fakes.openaiJson.push({ category: 'account', priority: 'urgent', reply: 'We reset your password.' });
      const { runId } = await p.client.createRun({ workflowId: i.workflowId, inputs: { subject: 'Cannot log in', body: 'Password refused', customer: 'ada@example.com' } });
      await waitFor(runId, 'waiting');
      await p.client.resumeRun(runId, { nodeId: 'approve', decision: 'approve' });
      return p.client.waitForRun(runId, { timeoutMs: 120_000 });
    },
    check: (run, since) => {
      expect(run.output).toEqual({ posted: true, triage: { category: 'account', priority: 'urgent', reply: 'We reset your password.' }, ts: '1700000000.000100' });
      expect(callsTo('openai', since.calls)).toHaveLength(1);
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#support', text: '[urgent] account: Cannot log in (ada@example.com)\nReply: We reset your password.' });
    },
  },
  {
    slug: 'webhook-email-receipt',
    run: (i) => deliver(i, { orderId: 'A-1001', email: 'ada@example.com', total: 42.5, currency: 'EUR' }, { scheme: 'standard-webhooks' }),
    check: (run, since) => {
      expect(run.output).toEqual({ orderId: 'A-1001', sentTo: ['ada@example.com'] });
      const [mail] = mailSince(since.mail);
      expect(mail).toMatchObject({ from: 'receipts@example.com', to: ['ada@example.com'], user: 'weft' });
      expect(mail!.data).toContain('Subject: Your receipt for order A-1001');
      expect(mail!.data).toContain('Total: 42.5 EUR');
    },
  },
  {
    slug: 'daily-scheduled-report',
    run: (i) => fireSchedule(i, '0 8 * * *', { metricsUrl: web('metrics.json'), channel: '#daily' }),
    check: (run, since) => {
      expect(run.triggerType).toBe('schedule');
      expect(run.output).toEqual({ report: 'Daily report: 12 signups, 7 orders, revenue 1234.5', ts: '1700000000.000100' });
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#daily', text: 'Daily report: 12 signups, 7 orders, revenue 1234.5' });
    },
  },
  {
    slug: 'github-issue-to-slack',
    run: (i) => deliver(i, { action: 'opened', issue: { number: 42, title: 'Crash on save', html_url: 'https://github.com/o/r/issues/42', user: { login: 'octocat' } }, repository: { full_name: 'o/r' } }, { scheme: 'github', event: 'issues' }),
    check: (run, since) => {
      expect(run.output).toEqual({ posted: true, issue: 42, ts: '1700000000.000100' });
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#github', text: 'New issue in o/r #42: Crash on save by octocat\nhttps://github.com/o/r/issues/42' });
    },
  },
  {
    slug: 'stripe-payment-to-sheets-and-email',
    run: (i) => deliver(i, { id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 4200, currency: 'eur', receipt_email: 'bob@example.com' } } }, { scheme: 'stripe', query: '?spreadsheetId=payments' }),
    check: (run, since) => {
      expect(run.output).toEqual({ recorded: 'Payments!A2:D2', emailed: ['bob@example.com'] });
      expect(callsTo('sheets', since.calls)[0]!.body).toEqual({ majorDimension: 'ROWS', values: [['pi_1', 42, 'EUR', 'bob@example.com']] });
      expect(mailSince(since.mail)[0]!.data).toContain('We received 42 EUR (payment pi_1).');
    },
  },
  {
    slug: 'json-feed-digest',
    run: (i) => apiRun(i, { feedUrl: web('feed.json'), channel: '#reading' }),
    check: (run, since) => {
      expect((run.output as { items: { title: string }[] }).items.map((x) => x.title)).toEqual(['Post 7', 'Post 6', 'Post 5', 'Post 4', 'Post 3']);
      expect((callsTo('slack', since.calls)[0]!.body as { text: string }).text).toBe('Weft blog: newest posts\n• Post 7 https://blog.example/7\n• Post 6 https://blog.example/6\n• Post 5 https://blog.example/5\n• Post 4 https://blog.example/4\n• Post 3 https://blog.example/3');
    },
  },
  {
    slug: 'for-each-enrichment',
    run: (i) => apiRun(i, { lookupUrl: web('companies/'), records: [{ id: 'acme' }, { id: 'globex' }, { id: 'initech' }] }),
    check: (run, since) => {
      expect(run.output).toEqual([
        { id: 'acme', name: 'Acme Corp', employees: 120, country: 'US' },
        { id: 'globex', name: 'Globex', employees: 4500, country: 'DE' },
        { id: 'initech', name: 'Initech', employees: 80, country: 'UK' },
      ]);
      const lookups = callsTo('web', since.calls).filter((c) => c.path.includes('/companies/'));
      expect(lookups).toHaveLength(3);
      for (const l of lookups) expect(l.headers.authorization).toBe('Bearer lookup-good');
    },
  },
  {
    slug: 'retry-backoff-api-sync',
    run: (i) => apiRun(i, { sourceUrl: web(`source/${crypto.randomUUID()}`), targetUrl: web('target') }),
    check: (run, since) => {
      expect(run.output).toEqual({ synced: 3, targetStatus: 201 });
      const web_ = callsTo('web', since.calls);
      expect(web_.filter((c) => c.path.includes('/source/'))).toHaveLength(3);
      const [write] = web_.filter((c) => c.path === '/web/target');
      expect(write!.headers.authorization).toBe('Bearer target-good');
      expect(write!.body).toEqual({ items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: 'three' }], runId: run.id });
      expect(run.steps.filter((s) => s.nodeId === 'read').map((s) => s.status)).toContain('succeeded');
    },
  },
  {
    slug: 'gemini-audio-transcription',
    run: async (i) => {
      const fromBase64 = await apiRun(i, { audioBase64: AUDIO_BYTES.toString('base64'), mimeType: 'audio/wav' });
      expect(fromBase64.output).toEqual([{ start: '00:00', end: '00:04', text: 'Hello and welcome.' }, { start: '00:04', end: '00:09', text: `This recording has ${AUDIO_BYTES.length} bytes.` }]);
      return apiRun(i, { audioUrl: web('audio.wav'), mimeType: 'audio/wav' });
    },
    check: (run, since) => {
      expect(run.output).toEqual([{ start: '00:00', end: '00:04', text: 'Hello and welcome.' }, { start: '00:04', end: '00:09', text: `This recording has ${AUDIO_BYTES.length} bytes.` }]);
      const calls = callsTo('gemini', since.calls);
      expect(calls).toHaveLength(2);
      for (const c of calls) {
        expect(c.path).toBe('/gemini/v1beta/models/gemini-2.0-flash:generateContent');
        expect(c.headers['x-goog-api-key']).toBe('gk-good');
        const body = c.body as { contents: { parts: { text?: string; inline_data?: { mime_type: string; data: string } }[] }[]; generationConfig: unknown };
        expect(body.contents.at(-1)!.parts[0]!.text).toContain('[mm:ss]');
        expect(body.contents.at(-1)!.parts[1]).toEqual({ inline_data: { mime_type: 'audio/wav', data: AUDIO_BYTES.toString('base64') } });
        expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json' });
      }
    },
  },
  {
    slug: 'signed-webhook-relay',
    run: (i) => deliver(i, { action: 'created', repository: { full_name: 'o/r' }, sender: { login: 'octocat' } }, { scheme: 'github', event: 'star', query: `?target=${encodeURIComponent(web('relay'))}` }),
    check: (run, since) => {
      expect(run.output).toMatchObject({ status: 200, webhookId: expect.any(String) });
      const [relay] = callsTo('web', since.calls).filter((c) => c.path === '/web/relay');
      expect(relay!.body).toEqual({ event: 'star', action: 'created', repository: 'o/r', sender: 'octocat' });
      const h = relay!.headers;
      const expected = createHmac('sha256', standardKey(RELAY_SECRET)).update(`${h['webhook-id']}.${h['webhook-timestamp']}.${JSON.stringify(relay!.body)}`).digest('base64');
      expect(h['webhook-signature']).toBe(`v1,${expected}`);
    },
  },
  {
    slug: 'feedback-sentiment-to-sheets',
    run: (i) => {
      fakes.openaiJson.push({ sentiment: 'positive', score: 0.6, topic: 'editor' });
      return apiRun(i, { spreadsheetId: 'feedback-sheet', author: 'Ada', feedback: 'The editor is lovely.' });
    },
    check: (run, since) => {
      expect(run.output).toEqual({ sentiment: { sentiment: 'positive', score: 0.6, topic: 'editor' }, row: 'Feedback!A2:E2' });
      expect(callsTo('sheets', since.calls)[0]!.body).toEqual({ majorDimension: 'ROWS', values: [['Ada', 'positive', 0.6, 'editor', 'The editor is lovely.']] });
    },
  },
  {
    slug: 'multi-url-uptime-check',
    run: (i) => apiRun(i, { urls: [web('metrics.json'), web('status/503'), web('status/404')], channel: '#ops' }),
    check: (run, since) => {
      expect(run.output).toEqual({ checked: 3, down: [web('status/503'), web('status/404')] });
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#ops', text: `:red_circle: Down: ${web('status/503')}, ${web('status/404')}` });
    },
  },
  {
    slug: 'stripe-failed-payment-alert',
    run: (i) => deliver(i, { id: 'evt_2', type: 'payment_intent.payment_failed', data: { object: { id: 'pi_2', amount: 1999, currency: 'usd', receipt_email: 'bob@example.com', last_payment_error: { message: 'Your card was declined.' } } } }, { scheme: 'stripe' }),
    check: (run, since) => {
      expect(run.output).toEqual({ alerted: true, ignored: null });
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#billing', text: ':warning: Payment pi_2 of 19.99 USD failed for bob@example.com: Your card was declined.' });
    },
  },
  {
    slug: 'contact-form-to-slack-and-email',
    run: (i) => deliver(i, { name: 'Ada', email: 'ada@example.com', message: 'Team plan?' }, { scheme: 'header' }),
    check: (run, since) => {
      expect(run.output).toEqual({ posted: true, replied: ['ada@example.com'] });
      expect(callsTo('slack', since.calls)[0]!.body).toEqual({ channel: '#leads', text: 'New message from Ada <ada@example.com>:\nTeam plan?' });
      expect(mailSince(since.mail)[0]).toMatchObject({ to: ['ada@example.com'], from: 'hello@example.com' });
    },
  },
];

describe('Seeding the starter templates', () => {
  it('publishes the twenty starters as the Weft creator\'s public templates, once', async () => {
    const first = await seedStarterTemplates(p.db.pool);
    expect(first.created).toHaveLength(20);
    const again = await seedStarterTemplates(p.db.pool);
    expect(again).toEqual({ created: [], updated: [], unchanged: STARTER_TEMPLATES.map((s) => s.slug), skipped: [] });
    const gallery = await p.client.listTemplates({ limit: 50 });
    expect(gallery.items.map((t) => t.slug).sort()).toEqual(STARTER_TEMPLATES.map((s) => s.slug).sort());
    expect(new Set(gallery.items.map((t) => t.creator?.handle))).toEqual(new Set([WEFT_CREATOR.handle]));
    const profile = await p.client.getProfile(WEFT_CREATOR.handle);
    expect(profile).toMatchObject({ name: 'Weft' });
    expect(profile.templates).toHaveLength(20);
    const one = await p.client.getTemplate('stripe-payment-to-sheets-and-email');
    expect(one.credentials.map((c) => c.name).sort()).toEqual(['GOOGLE_SHEETS_TOKEN', 'SMTP_URL']);
    expect(one.integrations).toEqual(expect.arrayContaining(['google_sheets_append', 'send_email']));
  });

  it('covers every starter with a case below', () => {
    expect(CASES.map((c) => c.slug).sort()).toEqual(STARTER_TEMPLATES.map((s) => s.slug).sort());
  });
});

describe('Each starter, installed and run against local doubles', () => {
  it.each(CASES.map((c) => [c.slug, c] as const))('%s', async (slug, c) => {
    const starter = STARTER_TEMPLATES.find((s) => s.slug === slug)!;
    const template = await p.client.getTemplate(slug);
    const credentials = Object.fromEntries(Object.keys(starter.credentials).map((slot) => [slot, SLOT_TO_SECRET[slot]!]));
    const installation = await p.client.installTemplate({ templateId: template.id, credentials });
    expect(installation.credentials).toEqual(credentials);
    const since = { calls: fakes.calls.length, mail: mailbox.messages.length };
    const run = await c.run({ workflowId: installation.workflowId, slug });
    expect(run.status, JSON.stringify({ error: run.error, steps: run.steps.filter((s) => s.error).map((s) => [s.nodeId, s.error]) })).toBe('succeeded');
    await c.check(run, since);
    // No secret value reaches a run's output.
    for (const value of Object.values(SECRETS())) expect(JSON.stringify(run.output)).not.toContain(value);
  }, 180_000);
});
