import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';

// What the gallery pages and the studio's publish dialog call besides the core template routes:
// filters and sorts, the graph of the public version, the dry-run check, page views and numbers,
// a moderator's review, the org's profile. The platform org (`default`) publishes and moderates.
let p: Platform;
let echo: EchoServer;
let editor: string;
let viewer: string;

beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
  editor = await mintKey(p.url, p.apiKey, 'editor');
  viewer = await mintKey(p.url, p.apiKey, 'viewer');
  await callAs(p.url, p.apiKey, 'POST', '/v1/secrets', { name: 'ECHO_KEY', value: 'echo-secret-value-7' });
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const as = (key: string, method: string, url: string, body?: unknown) => callAs(p.url, key, method, url, body);
/** A call without an API key (the public routes). */
async function anonymous(method: string, url: string, body?: unknown) {
  const r = await fetch(`${p.url}${url}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await r.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, body: (text ? JSON.parse(text) : null) as any };
}

const echoCall = (headers: Record<string, string>) => ({ id: 'call', type: 'http_request', config: { method: 'POST', url: `${echo.url}/hook`, headers, body: { who: '{{ input.who }}' } } });
const slackNode = { id: 'notify', type: 'slack_message', config: { token: '{{ secrets.SLACK_TOKEN }}', channel: '#ops', text: 'hi' } };

async function workflowVersion(nodes: object[]): Promise<string> {
  const trigger = { id: 'start', type: 'trigger', config: { inputSchema: { type: 'object', properties: { who: { type: 'string' } } } } };
  const edges = nodes.map((n) => ({ source: 'start', target: (n as { id: string }).id }));
  const wf = await as(editor, 'POST', '/v1/workflows', { name: 'gallery wf', definition: { nodes: [trigger, ...nodes], edges } });
  const v = await as(editor, 'POST', `/v1/workflows/${wf.body.id}/versions`, {});
  expect(v.status).toBe(201);
  return v.body.id as string;
}

let n = 0;
async function published(nodes: object[], fields: Record<string, unknown>) {
  const t = await as(editor, 'POST', '/v1/templates', { workflowVersionId: await workflowVersion(nodes), slug: `g-${++n}-${crypto.randomUUID().slice(0, 6)}`, name: 'T', summary: 'S', ...fields });
  expect(t.status).toBe(201);
  await as(editor, 'POST', `/v1/templates/${t.body.id}/submit`);
  await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'approve' });
  expect((await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'publish' })).body.status).toBe('published');
  return t.body as { id: string; slug: string };
}

describe('The gallery filters, sorts and shows the graph', () => {
  it('filters by category and integration, sorts by trending installs, and answers the public version with its definition', async () => {
    const cat = `cat-${crypto.randomUUID().slice(0, 6)}`;
    const slack = await published([slackNode], { category: cat, credentials: { SLACK_TOKEN: { description: 'Slack bot token', kind: 'slack_bot_token' } } });
    const plain = await published([echoCall({ authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' })], { category: cat, credentials: { ECHO_TOKEN: { description: 'Echo token' } } });

    const inCategory = await anonymous('GET', `/v1/templates?category=${cat}`);
    expect(inCategory.body.items.map((i: { id: string }) => i.id).sort()).toEqual([slack.id, plain.id].sort());
    const withSlack = await anonymous('GET', `/v1/templates?category=${cat}&integration=slack_message`);
    expect(withSlack.body.items).toEqual([expect.objectContaining({ id: slack.id, category: cat, integrations: ['slack_message'] })]);

    await as(editor, 'POST', '/v1/installations', { templateId: plain.id, credentials: { ECHO_TOKEN: 'ECHO_KEY' }, source: 'gallery' });
    const trending = await anonymous('GET', `/v1/templates?category=${cat}&sort=trending`);
    expect(trending.body.items.map((i: { id: string }) => i.id)).toEqual([plain.id, slack.id]);
    const page1 = await anonymous('GET', `/v1/templates?category=${cat}&sort=trending&limit=1`);
    const page2 = await anonymous('GET', `/v1/templates?category=${cat}&sort=trending&limit=1&cursor=${page1.body.nextCursor}`);
    expect([page1.body.items[0].id, page2.body.items[0].id]).toEqual([plain.id, slack.id]);

    const detail = await anonymous('GET', `/v1/templates/${slack.slug}`);
    expect(detail.body.definition.nodes.map((x: { id: string }) => x.id)).toEqual(['start', 'notify']);
    expect(JSON.stringify(detail.body.definition)).toContain('{{ secrets.SLACK_TOKEN }}');
    expect((await anonymous('GET', '/v1/templates?sort=sideways')).status).toBe(400);
  });
});

describe('Pre-publish checks without publishing', () => {
  it('lists refusals with node id and path, warnings, slots, domains and integrations, and stores nothing', async () => {
    const id = await workflowVersion([echoCall({ authorization: 'Bearer sk_live_51HabcdefGHIJKLmnopQRST', 'x-t': '{{ secrets.TRACE }}' }), slackNode]);
    const before = await p.db.pool.query('SELECT count(*)::int AS n FROM templates');
    const r = await as(editor, 'POST', '/v1/templates/check', { workflowVersionId: id, credentials: { SLACK_TOKEN: { description: 'Slack bot token', kind: 'slack_bot_token' } } });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([expect.objectContaining({ nodeId: 'call', path: 'config.headers.authorization', code: 'credential_literal' })]);
    expect(r.body.warnings).toEqual([expect.objectContaining({ path: 'credentials.TRACE', code: 'undescribed_secret' })]);
    expect(r.body.credentials).toEqual([{ name: 'SLACK_TOKEN', description: 'Slack bot token', kind: 'slack_bot_token' }, { name: 'TRACE', description: '', kind: 'secret' }]);
    expect(r.body).toMatchObject({ domains: ['127.0.0.1'], integrations: ['slack_message'] });
    expect(JSON.stringify(r.body)).not.toContain('sk_live_51Habcdef');
    expect((await p.db.pool.query('SELECT count(*)::int AS n FROM templates')).rows[0].n).toBe(before.rows[0].n);
    expect((await as(viewer, 'POST', '/v1/templates/check', { workflowVersionId: id })).status).toBe(403);
    expect((await as(editor, 'POST', '/v1/templates/check', { workflowVersionId: crypto.randomUUID() })).status).toBe(404);
  });
});

describe('Analytics of a template', () => {
  it('counts views and installs by source and the runs of installed copies, storing nothing about the visitor', async () => {
    const t = await published([echoCall({ authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' })], { credentials: { ECHO_TOKEN: { description: 'Echo token' } } });
    expect((await anonymous('POST', `/v1/templates/${t.slug}/views`, { source: 'gallery' })).status).toBe(204);
    await anonymous('POST', `/v1/templates/${t.slug}/views`, { source: 'gallery' });
    await anonymous('POST', `/v1/templates/${t.id}/views`, { source: 'share' });
    expect((await anonymous('POST', `/v1/templates/${t.slug}/views`, { source: 'Not A Source!' })).status).toBe(400);
    expect((await anonymous('POST', '/v1/templates/no-such-template/views', { source: 'gallery' })).status).toBe(404);

    const inst = await as(editor, 'POST', '/v1/installations', { templateId: t.id, credentials: { ECHO_TOKEN: 'ECHO_KEY' }, source: 'share' });
    expect(inst.status).toBe(201);
    const ok = await p.client.createRun({ workflowId: inst.body.workflowId, inputs: { who: 'ada' } });
    expect((await p.client.waitForRun(ok.runId, { timeoutMs: 30_000 })).status).toBe('succeeded');

    const stats = await anonymous('GET', `/v1/templates/${t.slug}/stats`);
    expect(stats.body).toMatchObject({ views: 3, installs: 1, runs: 1, succeeded: 1, failed: 0, successRate: 1 });
    // Most views + installs first, ties by name.
    expect(stats.body.sources).toEqual([{ source: 'gallery', views: 2, installs: 0 }, { source: 'share', views: 1, installs: 1 }]);
    const rows = await p.db.pool.query('SELECT * FROM template_views WHERE template_id = $1 ORDER BY source', [t.id]);
    expect(Object.keys(rows.rows[0]).sort()).toEqual(['day', 'source', 'template_id', 'views']);

    const profile = await anonymous('GET', '/v1/profiles/default');
    expect(profile.body.stats.views).toBeGreaterThanOrEqual(3);
    expect(profile.body.stats.runs).toBeGreaterThanOrEqual(1);
  });
});

describe('Moderators review, creators edit their profile', () => {
  it('shows a pending template with readme and definition to moderators only', async () => {
    const t = await as(editor, 'POST', '/v1/templates', { workflowVersionId: await workflowVersion([slackNode]), slug: `review-${crypto.randomUUID().slice(0, 6)}`, name: 'Under review', summary: 's', readme: '# Read me' });
    await as(editor, 'POST', `/v1/templates/${t.body.id}/submit`);
    const r = await as(p.apiKey, 'GET', `/v1/moderation/templates/${t.body.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'pending', readme: '# Read me', category: 'general' });
    expect(r.body.definition.nodes).toHaveLength(2);
    expect((await as(editor, 'GET', `/v1/moderation/templates/${t.body.id}`)).status).toBe(403);
  });

  it('edits the org profile: name, bio, avatar and https links', async () => {
    const r = await as(editor, 'PUT', '/v1/profile', { name: 'Default Labs', bio: 'We automate.', avatarUrl: 'https://example.com/a.png', links: [{ label: 'Site', url: 'https://example.com' }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Default Labs', bio: 'We automate.', avatarUrl: 'https://example.com/a.png', links: [{ label: 'Site', url: 'https://example.com' }] });
    expect((await anonymous('GET', `/v1/profiles/${r.body.handle}`)).body.bio).toBe('We automate.');
    const bad = await as(editor, 'PUT', '/v1/profile', { links: [{ label: 'x', url: 'javascript:alert(1)' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.links[0].url');
    expect((await as(viewer, 'PUT', '/v1/profile', { bio: 'no' })).status).toBe(403);
  });
});
