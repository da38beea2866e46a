import { hashApiKey } from '@weft/gateway';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, mintKey } from './accounts-http';
import { startPlatform, type Platform } from './platform';

// The platform org (`default`, the bootstrap org) moderates and installs; "acme", another org, creates.
let p: Platform;
let echo: EchoServer;
let acme: { owner: string; editor: string; viewer: string; slug: string };
let platformViewer: string;
let platformEditor: string;

async function newOrg(slug: string) {
  const org = crypto.randomUUID();
  await p.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, $2, 'Acme Automations')`, [org, slug]);
  const owner = `weft_acme_${crypto.randomUUID()}`;
  await p.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'owner', 'weft_', $3, 'owner')`, [crypto.randomUUID(), org, hashApiKey(owner)]);
  return { owner, editor: await mintKey(p.url, owner, 'editor'), viewer: await mintKey(p.url, owner, 'viewer'), slug };
}

beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
  acme = await newOrg(`acme-${crypto.randomUUID().slice(0, 8)}`);
  platformViewer = await mintKey(p.url, p.apiKey, 'viewer');
  platformEditor = await mintKey(p.url, p.apiKey, 'editor');
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

const as = (key: string, method: string, url: string, body?: unknown) => callAs(p.url, key, method, url, body);
/** A call without an API key (the public routes). */
const anonymous = async (url: string) => {
  const r = await fetch(`${p.url}${url}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, body: (await r.json()) as any };
};

/** A published workflow version of acme whose http_request sends `headers` to the echo server. */
async function workflowVersion(headers: Record<string, string>, key = acme.editor) {
  const wf = await as(key, 'POST', '/v1/workflows', {
    name: 'notify',
    definition: { nodes: [{ id: 'start', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { method: 'POST', url: `${echo.url}/hook`, headers, body: { hello: '{{ input.who }}' } } }], edges: [{ source: 'start', target: 'call' }] },
  });
  const v = await as(key, 'POST', `/v1/workflows/${wf.body.id}/versions`, {});
  expect(v.status).toBe(201);
  return v.body.id as string;
}

let n = 0;
/** Publishes a template from a fresh workflow version, submits it, and has the platform approve and publish it. */
async function publishedTemplate(fields: { name: string; summary: string; readme?: string; tags?: string[] }) {
  const workflowVersionId = await workflowVersion({ authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' });
  const t = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId, slug: `t-${++n}-${crypto.randomUUID().slice(0, 6)}`, credentials: { ECHO_TOKEN: { description: 'Echo token', kind: 'api_key' } }, ...fields });
  expect(t.status).toBe(201);
  expect((await as(acme.editor, 'POST', `/v1/templates/${t.body.id}/submit`)).status).toBe(200);
  expect((await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'approve' })).body.status).toBe('approved');
  expect((await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'publish' })).body.status).toBe('published');
  return t.body as { id: string; slug: string };
}

describe('Publishing a template and its review', () => {
  it('publishes a draft, submits it, a moderator approves and publishes it, and only then it is in the public gallery', async () => {
    const workflowVersionId = await workflowVersion({ authorization: 'Bearer {{ secrets.ECHO_TOKEN }}', 'x-trace': '{{ secrets.TRACE_ID }}' });
    const created = await as(acme.editor, 'POST', '/v1/templates', {
      workflowVersionId, slug: `echo-notify-${n++}`, name: 'Echo notifier', summary: 'Posts a greeting to the echo service', readme: '# Echo', tags: ['echo', 'demo'],
      credentials: { ECHO_TOKEN: { description: 'Token of the echo service', kind: 'api_key' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', latestVersion: 1, publicVersion: null, installs: 0 });
    const v1 = created.body.versions[0];
    expect(v1.credentials).toEqual([{ name: 'ECHO_TOKEN', description: 'Token of the echo service', kind: 'api_key' }, { name: 'TRACE_ID', description: '', kind: 'secret' }]);
    expect(v1.domains).toEqual(['127.0.0.1']);
    expect(v1.warnings).toEqual([expect.objectContaining({ path: 'credentials.TRACE_ID', code: 'undescribed_secret' })]);
    const id = created.body.id as string;
    const slug = created.body.slug as string;

    expect((await anonymous(`/v1/templates/${slug}`)).status).toBe(404);
    expect((await anonymous(`/v1/templates/${id}`)).status).toBe(404);
    expect((await as(acme.editor, 'POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).status).toBe(403);

    const submitted = await as(acme.editor, 'POST', `/v1/templates/${id}/submit`);
    expect(submitted.body.status).toBe('pending');
    const queue = await as(p.apiKey, 'GET', '/v1/moderation/templates?limit=200');
    expect(queue.body.items).toContainEqual(expect.objectContaining({ id, status: 'pending', latestVersion: 1 }));
    expect((await as(acme.owner, 'GET', '/v1/moderation/templates')).status).toBe(403);
    expect((await as(acme.owner, 'POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).status).toBe(403);
    expect((await as(p.apiKey, 'POST', `/v1/templates/${id}/moderation`, { action: 'publish' })).status).toBe(409);
    expect((await as(p.apiKey, 'POST', `/v1/templates/${id}/moderation`, { action: 'approve' })).body.status).toBe('approved');
    expect((await anonymous(`/v1/templates/${slug}`)).status).toBe(404);
    const published = await as(p.apiKey, 'POST', `/v1/templates/${id}/moderation`, { action: 'publish' });
    expect(published.body).toMatchObject({ status: 'published', publicVersion: 1 });

    const gallery = await anonymous('/v1/templates?tag=echo');
    expect(gallery.status).toBe(200);
    expect(gallery.body.items).toContainEqual({ id, slug, name: 'Echo notifier', summary: 'Posts a greeting to the echo service', tags: ['echo', 'demo'], installs: 0, creator: { handle: acme.slug, name: 'Acme Automations' }, latestVersion: 1, category: 'general', integrations: [] });
    const page = await anonymous(`/v1/templates/${slug}`);
    expect(page.body).toMatchObject({ id, readme: '# Echo', domains: ['127.0.0.1'], credentials: v1.credentials, versions: [expect.objectContaining({ version: 1, notes: '' })], creator: { handle: acme.slug } });

    const events = await p.db.pool.query('SELECT action FROM moderation_events WHERE template_id = $1 ORDER BY created_at, id', [id]);
    expect(events.rows.map((e) => e.action)).toEqual(['submit', 'approve', 'publish']);

    expect((await as(p.apiKey, 'POST', `/v1/templates/${id}/moderation`, { action: 'unpublish', reason: 'outdated' })).body.status).toBe('unpublished');
    expect((await anonymous(`/v1/templates/${slug}`)).status).toBe(404);
  });

  it('records a rejection with its reason, and refuses one without a reason', async () => {
    const workflowVersionId = await workflowVersion({});
    const t = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId, slug: `rejected-${n++}`, name: 'Meh', summary: 'Not good yet' });
    await as(acme.editor, 'POST', `/v1/templates/${t.body.id}/submit`);
    const noReason = await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    const rejected = await as(p.apiKey, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'reject', reason: 'needs a readme' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'needs a readme' });
    const events = await p.db.pool.query('SELECT action, reason FROM moderation_events WHERE template_id = $1 ORDER BY created_at, id', [t.body.id]);
    expect(events.rows).toEqual([{ action: 'submit', reason: '' }, { action: 'reject', reason: 'needs a readme' }]);
  });

  it('refuses a literal that looks like a credential, naming the node and the path', async () => {
    const workflowVersionId = await workflowVersion({ authorization: 'Bearer sk_live_51HabcdefGHIJKLmnopQRST' });
    const r = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId, slug: `leaky-${n++}`, name: 'Leaky', summary: 'Has a key in it' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ nodeId: 'call', path: 'config.headers.authorization', code: 'credential_literal' })]);
    expect(JSON.stringify(r.body)).not.toContain('sk_live_51Habcdef');
  });

  it('adds a numbered version with release notes from a newer workflow version', async () => {
    const t = await publishedTemplate({ name: 'Versioned', summary: 'Grows' });
    const next = await as(acme.editor, 'POST', `/v1/templates/${t.id}/versions`, { workflowVersionId: await workflowVersion({ authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' }), notes: 'Faster' });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ latestVersion: 2, publicVersion: 1 });
    expect(next.body.versions[0]).toMatchObject({ version: 2, notes: 'Faster', credentials: [{ name: 'ECHO_TOKEN', description: 'Echo token', kind: 'api_key' }] });
    // The public page shows the reviewed version only.
    expect((await anonymous(`/v1/templates/${t.id}`)).body.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("hides another org's drafts and refuses its templates to other orgs (404)", async () => {
    const workflowVersionId = await workflowVersion({});
    const t = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId, slug: `secret-draft-${n++}`, name: 'Draft', summary: 'Not yet' });
    expect((await as(platformEditor, 'POST', `/v1/templates/${t.body.id}/submit`)).status).toBe(404);
    expect((await as(platformEditor, 'POST', `/v1/templates/${t.body.id}/versions`, { workflowVersionId })).status).toBe(404);
    expect((await as(platformEditor, 'POST', '/v1/installations', { templateId: t.body.id })).status).toBe(404);
    expect((await anonymous(`/v1/templates/${t.body.slug}`)).status).toBe(404);
    // Publishing someone else's workflow version is a 404 too.
    expect((await as(platformEditor, 'POST', '/v1/templates', { workflowVersionId, slug: `stolen-${n++}`, name: 'x', summary: 'x' })).status).toBe(404);
  });

  it('refuses a taken slug with 409 naming body.slug', async () => {
    const t = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId: await workflowVersion({}), slug: `dup-${n}`, name: 'a', summary: 'a' });
    const again = await as(acme.editor, 'POST', '/v1/templates', { workflowVersionId: await workflowVersion({}), slug: t.body.slug, name: 'b', summary: 'b' });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ path: 'body.slug' })]);
  });

  it('lets a viewer neither publish nor install (403)', async () => {
    expect((await as(acme.viewer, 'POST', '/v1/templates', { workflowVersionId: crypto.randomUUID(), slug: 'nope', name: 'n', summary: 's' })).status).toBe(403);
    expect((await as(platformViewer, 'POST', '/v1/installations', { templateId: crypto.randomUUID() })).status).toBe(403);
  });
});

describe('Installing a template', () => {
  it('maps each slot to an org secret, creates a published workflow that runs with it, and counts installs', async () => {
    const t = await publishedTemplate({ name: 'Installable', summary: 'Calls the echo service' });
    await as(p.apiKey, 'POST', '/v1/secrets', { name: 'MY_ECHO_KEY', value: 'installer-secret-value-42' });

    const unmapped = await as(platformEditor, 'POST', '/v1/installations', { templateId: t.id });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.errors).toEqual([expect.objectContaining({ path: 'body.credentials.ECHO_TOKEN', code: 'unmapped_credential' })]);
    const missing = await as(platformEditor, 'POST', '/v1/installations', { templateId: t.id, credentials: { ECHO_TOKEN: 'NO_SUCH_SECRET' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'body.credentials.ECHO_TOKEN', code: 'secret_not_found' })]);

    const first = await as(platformEditor, 'POST', '/v1/installations', { templateId: t.id, credentials: { ECHO_TOKEN: 'MY_ECHO_KEY' }, name: 'My echo' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ templateId: t.id, name: 'My echo', credentials: { ECHO_TOKEN: 'MY_ECHO_KEY' } });
    const second = await as(platformEditor, 'POST', '/v1/installations', { templateId: t.id, credentials: { ECHO_TOKEN: 'MY_ECHO_KEY' } });
    expect(second.status).toBe(201);
    expect(second.body.workflowId).not.toBe(first.body.workflowId);

    const wf = await as(platformEditor, 'GET', `/v1/workflows/${first.body.workflowId}`);
    expect(wf.body).toMatchObject({ name: 'My echo', latestVersion: 1 });
    const { runId } = await p.client.createRun({ workflowId: first.body.workflowId, inputs: { who: 'ada' } });
    const run = await p.client.waitForRun(runId, { timeoutMs: 30_000 });
    expect(run.status).toBe('succeeded');
    const hit = echo.requests.find((r) => r.path === '/hook' && (r.body as { hello?: string }).hello === 'ada');
    expect(hit?.headers.authorization).toBe('Bearer installer-secret-value-42');
    expect(JSON.stringify(run)).not.toContain('installer-secret-value-42');

    expect((await anonymous(`/v1/templates/${t.slug}`)).body.installs).toBe(2);
    const list = await as(platformViewer, 'GET', '/v1/installations');
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([first.body.id, second.body.id]));
    // The other org sees none of them.
    expect((await as(acme.owner, 'GET', '/v1/installations')).body.items).toEqual([]);
  });
});

describe('The public gallery', () => {
  it('ranks full-text matches (name above readme), filters by tag, sorts and pages with a cursor', async () => {
    const word = `zebra${crypto.randomUUID().slice(0, 6)}`;
    // Published name-match first: newer-first or id order would put the readme match on top.
    const inName = await publishedTemplate({ name: `${word} tracker`, summary: `Tracks every ${word}`, tags: ['tracking'] });
    const inReadme = await publishedTemplate({ name: 'Weekly digest', summary: 'Collects items', readme: `Works well for ${word} herds`, tags: ['digest'] });
    await publishedTemplate({ name: 'Unrelated', summary: 'Nothing to see', tags: ['digest'] });

    const search = await anonymous(`/v1/templates?q=${word}`);
    expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([inName.id, inReadme.id]);
    const tagged = await anonymous(`/v1/templates?q=${word}&tag=digest`);
    expect(tagged.body.items.map((i: { id: string }) => i.id)).toEqual([inReadme.id]);

    const newest = await anonymous('/v1/templates?sort=newest&limit=2');
    expect(newest.body.items[1].id).toBe(inReadme.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageUrl: string = `/v1/templates?sort=newest&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await anonymous(pageUrl);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([inReadme.id, inName.id]));
    expect(seen.indexOf(inReadme.id)).toBeLessThan(seen.indexOf(inName.id));

    const bad = await anonymous('/v1/templates?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'querystring.cursor' })]);
  });

  it("shows a creator's profile with their published templates and install counts", async () => {
    const r = await anonymous(`/v1/profiles/${acme.slug}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ handle: acme.slug, name: 'Acme Automations' });
    expect(r.body.templates.length).toBeGreaterThan(0);
    expect(r.body.installs).toBe(r.body.templates.reduce((s: number, t: { installs: number }) => s + t.installs, 0));
    expect((await anonymous('/v1/profiles/nobody-here')).status).toBe(404);
  });
});
