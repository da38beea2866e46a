import { createLogger } from '@weft/logger';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { allLeakForms, scanPostgres, scanRedis, scanText } from './leak-scan';
import { startOAuthFakes } from './oauth-fakes';
import { startPlatform, type Platform } from './platform';
import { startSaasFakes } from './saas-fakes';

const apps = {
  google: { clientId: '1234-weft.apps.googleusercontent.com', clientSecret: 'GOCSPX-google-client-secret-1' },
  slack: { clientId: '1111.2222', clientSecret: 'slack-client-secret-abcdef1234' },
};

let p: Platform;
let oauth: Awaited<ReturnType<typeof startOAuthFakes>>;
let saas: Awaited<ReturnType<typeof startSaasFakes>>;
const logLines: string[] = [];

beforeAll(async () => {
  oauth = await startOAuthFakes(apps);
  saas = await startSaasFakes({ acceptToken: (_service, token) => oauth.isLive(token) });
  const logger = createLogger({ service: 'test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  p = await startPlatform({ logger, integrationUrls: saas.urls, oauth: { endpoints: oauth.endpoints } });
});
afterAll(async () => {
  await p?.stop();
  await saas?.close();
  await oauth?.close();
});

interface ConnectionView {
  id: string;
  name: string;
  provider: string;
  status: string;
  statusReason: string | null;
  account: string;
  expiresAt: string | null;
  scopes: string[];
}

async function createConnection(provider: 'google' | 'slack', name: string, scopes: string[]): Promise<ConnectionView> {
  const r = await apiCall(p, 'POST', '/v1/connections', { provider, name, ...apps[provider], scopes });
  expect(r.status).toBe(201);
  return r.body as ConnectionView;
}

/**
 * The browser's part over real HTTP, one hop at a time: the authorize URL from the API, the
 * provider's consent page (302 back to the gateway's callback with code and state), the callback
 * (303 back to the app with the outcome).
 */
async function connect(id: string, opts: { deny?: boolean; returnTo?: string } = {}) {
  const start = await apiCall(p, 'GET', `/v1/connections/${id}/authorize${opts.returnTo ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}`);
  expect(start.status).toBe(200);
  const authorizeUrl = new URL(start.body.authorizeUrl as string);
  if (opts.deny) authorizeUrl.searchParams.set('deny', '1');
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location')!);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${p.url}/v1/oauth/callback`);
  const back = await fetch(callback, { redirect: 'manual' });
  return { authorizeUrl, callback, status: back.status, location: back.headers.get('location') ?? '', body: back.status >= 400 ? await back.json() : undefined };
}

async function runWorkflow(nodes: { id: string; type: string; config: Record<string, unknown> }[], inputs: Record<string, unknown> = {}) {
  const wf = await p.client.createWorkflow({
    name: `wf-${nodes[0]!.id}-${Date.now()}`,
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, ...nodes], edges: nodes.map((n) => ({ source: 't', target: n.id })) },
  });
  await p.client.publishVersion(wf.id);
  return p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, inputs: inputs as never })).runId, { timeoutMs: 60_000 });
}

const getConnection = async (id: string) => (await apiCall(p, 'GET', `/v1/connections/${id}`)).body as ConnectionView;

describe('Connections: OAuth 2.0 credentials that refresh', () => {
  it('connects a Google account through the authorization-code flow with PKCE and a signed state', async () => {
    const created = await createConnection('google', 'sheets-google', ['https://www.googleapis.com/auth/spreadsheets']);
    expect(created).toMatchObject({ provider: 'google', status: 'pending', scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
    expect(JSON.stringify(created)).not.toContain(apps.google.clientSecret);

    const flow = await connect(created.id, { returnTo: '/settings/connections' });
    const q = flow.authorizeUrl.searchParams;
    expect(q.get('client_id')).toBe(apps.google.clientId);
    expect(q.get('redirect_uri')).toBe(`${p.url}/v1/oauth/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('scope')).toBe('https://www.googleapis.com/auth/spreadsheets');
    expect(flow.status).toBe(303);
    const back = new URL(flow.location);
    expect(`${back.origin}${back.pathname}`).toBe('http://localhost:3000/settings/connections');
    expect(Object.fromEntries(back.searchParams)).toEqual({ connection: created.id, status: 'connected' });
    // The verifier went to the token endpoint and matched the challenge (the double refuses otherwise).
    expect(oauth.google.tokenRequests.at(-1)).toMatchObject({ grant_type: 'authorization_code', client_id: apps.google.clientId });
    expect(oauth.google.tokenRequests.at(-1)!.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(oauth.google.exchanges).toBe(1);

    const after = await getConnection(created.id);
    expect(after).toMatchObject({ status: 'connected', statusReason: null });
    expect(new Date(after.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 60_000);

    // The state is single-use: the provider's redirect replayed is refused with a 400 naming it.
    const replay = await fetch(flow.callback, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ errors: [{ path: 'query.state', code: 'invalid_state' }] });
    expect(oauth.google.exchanges).toBe(1);
  });

  it('refuses a forged, tampered or foreign state, and reports a denied consent back to the app', async () => {
    const c = await createConnection('google', 'denied-google', []);
    const start = await apiCall(p, 'GET', `/v1/connections/${c.id}/authorize`);
    const state = new URL(start.body.authorizeUrl as string).searchParams.get('state')!;
    const [id, sig] = state.split('.');
    for (const bad of [`${id}.${sig!.slice(0, -2)}AA`, `${crypto.randomUUID()}.${sig}`, 'nonsense', '']) {
      const r = await fetch(`${p.url}/v1/oauth/callback?code=x&state=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      expect(r.status).toBe(400);
    }
    const denied = await connect(c.id, { deny: true });
    expect(denied.status).toBe(303);
    expect(Object.fromEntries(new URL(denied.location).searchParams)).toEqual({ connection: c.id, status: 'error', reason: 'access_denied' });
    expect((await getConnection(c.id)).status).toBe('pending');
    // A returnTo outside the app is refused (no open redirect).
    const open = await apiCall(p, 'GET', `/v1/connections/${c.id}/authorize?returnTo=${encodeURIComponent('https://evil.example/x')}`);
    expect(open.status).toBe(400);
    expect(open.body.errors[0]).toMatchObject({ path: 'query.returnTo' });
    // Another org sees none of it.
    const other = await p.newOrgClient();
    const otherKey = (other as unknown as { opts: { apiKey: string } }).opts.apiKey;
    const foreign = await fetch(`${p.url}/v1/connections/${c.id}`, { headers: { authorization: `Bearer ${otherKey}` } });
    expect(foreign.status).toBe(404);
  });

  it('validates the body with problem+json naming the path', async () => {
    const bad = await apiCall(p, 'POST', '/v1/connections', { provider: 'dropbox', name: '1bad', clientId: '', clientSecret: 'x' });
    expect(bad.status).toBe(400);
    const paths = (bad.body.errors as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.provider', 'body.name', 'body.clientId', 'body.clientSecret']));
    await createConnection('slack', 'dup-slack', []);
    const dup = await apiCall(p, 'POST', '/v1/connections', { provider: 'slack', name: 'dup-slack', ...apps.slack });
    expect(dup.status).toBe(409);
    const generic = await apiCall(p, 'POST', '/v1/connections', { provider: 'generic', name: 'gen', clientId: 'c', clientSecret: 'secret-1' });
    expect(generic.status).toBe(400);
    expect(generic.body.errors[0]).toMatchObject({ path: 'body.provider', code: 'provider_not_configured' });
  });

  it('appends to Google Sheets with the connection, refreshing an expiring token exactly once for concurrent steps', async () => {
    oauth.google.codeExpiresIn = 30; // inside the 60 s refresh margin: the first use must refresh
    const c = await createConnection('google', 'concurrent-google', ['https://www.googleapis.com/auth/spreadsheets']);
    expect((await connect(c.id)).status).toBe(303);
    const before = oauth.google.refreshes;
    const sheetCallsBefore = saas.calls.filter((x) => x.service === 'sheets').length;
    const n = 6;
    const nodes = Array.from({ length: n }, (_, i) => ({
      id: `append${i}`,
      type: 'google_sheets_append',
      config: { connection: 'concurrent-google', spreadsheetId: 'sheet1', range: 'Orders!A:C', values: [['{{ input.id }}', i]] },
    }));
    // The refresh answer is held until every other step waits on the connection's row lock: the
    // steps really run at once, and while one refreshes the others wait (no second request).
    let release!: () => void;
    oauth.google.gate = new Promise<void>((r) => (release = r));
    const requestsBefore = oauth.google.refreshRequests;
    const running = runWorkflow(nodes, { id: 'A7' });
    const admin = new pg.Client({ connectionString: p.databaseUrl });
    await admin.connect();
    try {
      for (;;) {
        const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM oauth_connections%FOR UPDATE%'`);
        if (rows[0]!.n === n - 1) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await admin.end();
    }
    expect(oauth.google.refreshRequests - requestsBefore).toBe(1);
    oauth.google.gate = undefined;
    release();
    const run = await running;
    expect(run.status).toBe('succeeded');
    expect(oauth.google.refreshes - before).toBe(1);
    const calls = saas.calls.filter((x) => x.service === 'sheets').slice(sheetCallsBefore);
    expect(calls).toHaveLength(n);
    // Every step used the one refreshed token (the waiting steps reused it).
    expect(new Set(calls.map((x) => x.headers.authorization)).size).toBe(1);
    for (const s of run.steps.filter((x) => x.nodeId.startsWith('append'))) expect(s.output).toMatchObject({ spreadsheetId: 'sheet1', updatedRows: 1 });
    expect(oauth.google.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', client_id: apps.google.clientId, client_secret: apps.google.clientSecret });
    const after = await getConnection(c.id);
    expect(new Date(after.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 600_000);

    // A fresh token is not refreshed again.
    const again = await runWorkflow([nodes[0]!], { id: 'A8' });
    expect(again.status).toBe('succeeded');
    expect(oauth.google.refreshes - before).toBe(1);
    oauth.google.codeExpiresIn = 3599;
  });

  it('posts to Slack with a connection (oauth.v2.access shape, rotating refresh tokens)', async () => {
    oauth.slack.codeExpiresIn = 10;
    const c = await createConnection('slack', 'team-slack', ['chat:write', 'channels:read']);
    const flow = await connect(c.id);
    expect(flow.status).toBe(303);
    expect(flow.authorizeUrl.searchParams.get('scope')).toBe('chat:write,channels:read');
    expect(flow.authorizeUrl.searchParams.has('code_challenge')).toBe(false);
    expect(await getConnection(c.id)).toMatchObject({ status: 'connected', account: 'Acme Inc' });
    const first = await runWorkflow([{ id: 'say', type: 'slack_message', config: { connection: 'team-slack', channel: '#ops', text: 'order {{ input.id }} shipped' } }], { id: 7 });
    expect(first.status).toBe('succeeded');
    expect(first.steps.find((s) => s.nodeId === 'say')!.output).toEqual({ ok: true, channel: 'C123', ts: '1700000000.000100' });
    expect(oauth.slack.refreshes).toBe(1);
    // The rotated refresh token was stored: the next expiry refreshes with it (the old one is refused by the double).
    await p.db.pool.query(`UPDATE oauth_connections SET expires_at = now() - interval '1 second' WHERE id = $1`, [c.id]);
    const second = await runWorkflow([{ id: 'say', type: 'slack_message', config: { connection: 'team-slack', channel: '#ops', text: 'again' } }]);
    expect(second.status).toBe('succeeded');
    expect(oauth.slack.refreshes).toBe(2);
    // A node naming a connection of another provider fails clearly.
    const wrong = await runWorkflow([{ id: 'g', type: 'google_sheets_append', config: { connection: 'team-slack', spreadsheetId: 's', range: 'A:B', values: [[1]] } }]);
    expect(wrong.steps.find((s) => s.nodeId === 'g')!.error).toMatchObject({ code: 'connection_provider_mismatch', retryable: false });
    oauth.slack.codeExpiresIn = 3599;
  });

  it('marks the connection needs_reconnect when the provider refuses the refresh (invalid_grant), with a clear step error', async () => {
    const c = await createConnection('google', 'revoked-google', ['https://www.googleapis.com/auth/spreadsheets']);
    expect((await connect(c.id)).status).toBe(303);
    oauth.google.revokeAll();
    await p.db.pool.query(`UPDATE oauth_connections SET expires_at = now() - interval '1 second' WHERE id = $1`, [c.id]);
    const requests = oauth.google.refreshRequests;
    const node = { id: 'append', type: 'google_sheets_append', config: { connection: 'revoked-google', spreadsheetId: 's', range: 'A:B', values: [[1]] } };
    const run = await runWorkflow([node]);
    expect(run.status).toBe('failed');
    const error = run.steps.find((s) => s.nodeId === 'append')!.error!;
    expect(error).toMatchObject({ code: 'connection_needs_reconnect', retryable: false, details: { connection: 'revoked-google', reason: 'invalid_grant' } });
    expect(error.message).toBe('connection "revoked-google" must be reconnected: google refused its refresh token (invalid_grant)');
    expect(oauth.google.refreshRequests - requests).toBe(1);
    expect(await getConnection(c.id)).toMatchObject({ status: 'needs_reconnect', statusReason: 'invalid_grant' });
    // Later steps fail at once, without asking the provider again.
    const later = await runWorkflow([node]);
    expect(later.steps.find((s) => s.nodeId === 'append')!.error).toMatchObject({ code: 'connection_needs_reconnect' });
    expect(oauth.google.refreshRequests - requests).toBe(1);
    // Reconnecting makes it work again.
    expect((await connect(c.id)).status).toBe(303);
    expect(await getConnection(c.id)).toMatchObject({ status: 'connected', statusReason: null });
    expect((await runWorkflow([node])).status).toBe('succeeded');
  });

  it('fails clearly for an unknown or never-connected connection, and deletes a connection with its tokens', async () => {
    const missing = await runWorkflow([{ id: 'say', type: 'slack_message', config: { connection: 'nope', channel: '#ops', text: 'x' } }]);
    expect(missing.steps.find((s) => s.nodeId === 'say')!.error).toMatchObject({ code: 'connection_not_found', message: 'connection "nope" does not exist in this org' });
    const pending = await createConnection('slack', 'pending-slack', []);
    const notYet = await runWorkflow([{ id: 'say', type: 'slack_message', config: { connection: 'pending-slack', channel: '#ops', text: 'x' } }]);
    expect(notYet.steps.find((s) => s.nodeId === 'say')!.error).toMatchObject({ code: 'connection_not_connected' });
    const list = await apiCall(p, 'GET', '/v1/connections');
    expect((list.body.items as ConnectionView[]).map((x) => x.name)).toContain('pending-slack');
    expect((await apiCall(p, 'DELETE', `/v1/connections/${pending.id}`)).status).toBe(204);
    expect((await apiCall(p, 'GET', `/v1/connections/${pending.id}`)).status).toBe(404);
  });

  it('makes a connection a typed credential slot of a template, mapped at install to a connection of the same provider', async () => {
    const mine = await createConnection('google', 'install-google', ['https://www.googleapis.com/auth/spreadsheets']);
    expect((await connect(mine.id)).status).toBe(303);
    await createConnection('slack', 'install-slack', []);
    const wf = await p.client.createWorkflow({
      name: 'sheet row',
      definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'append', type: 'google_sheets_append', config: { connection: 'sheets-google', spreadsheetId: 'sheet1', range: 'Orders!A:B', values: [['{{ input.id }}', 'installed']] } }], edges: [{ source: 't', target: 'append' }] },
    });
    const version = await p.client.publishVersion(wf.id);
    const t = await apiCall(p, 'POST', '/v1/templates', { workflowVersionId: version.id, slug: `sheet-row-${Date.now()}`, name: 'Sheet row', summary: 'Appends a row', credentials: { 'sheets-google': { description: 'A Google account that can edit the sheet' } } });
    expect(t.status).toBe(201);
    expect(t.body.versions[0].credentials).toEqual([{ name: 'sheets-google', description: 'A Google account that can edit the sheet', kind: 'oauth2:google' }]);
    expect((await apiCall(p, 'POST', `/v1/templates/${t.body.id}/submit`)).status).toBe(200);
    expect((await apiCall(p, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'approve' })).status).toBe(200);
    expect((await apiCall(p, 'POST', `/v1/templates/${t.body.id}/moderation`, { action: 'publish' })).status).toBe(200);
    const wrong = await apiCall(p, 'POST', '/v1/installations', { templateId: t.body.id, credentials: { 'sheets-google': 'install-slack' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'body.credentials.sheets-google', code: 'connection_provider_mismatch' })]);
    const unmapped = await apiCall(p, 'POST', '/v1/installations', { templateId: t.body.id });
    expect(unmapped.body.errors).toEqual([expect.objectContaining({ path: 'body.credentials.sheets-google', code: 'unmapped_credential' })]);
    const installed = await apiCall(p, 'POST', '/v1/installations', { templateId: t.body.id, credentials: { 'sheets-google': 'install-google' } });
    expect(installed.status).toBe(201);
    const run = await p.client.waitForRun((await p.client.createRun({ workflowId: installed.body.workflowId, inputs: { id: 'I1' } as never })).runId);
    expect(run.status).toBe('succeeded');
    const def = (await apiCall(p, 'GET', `/v1/workflows/${installed.body.workflowId}`)).body;
    expect(JSON.stringify(def)).toContain('"connection":"install-google"');
  });

  it('keeps every token, code and client secret out of Postgres (runs, steps, events, logs, audit), Redis, API answers and log lines', async () => {
    const secrets = [...oauth.issued, apps.google.clientSecret, apps.slack.clientSecret];
    expect(oauth.issued.length).toBeGreaterThan(10);
    const forms = secrets.flatMap(allLeakForms);
    const pg = await scanPostgres(p.db, forms);
    const redis = await scanRedis(p.redisUrl, p.prefix, forms);
    const answers = JSON.stringify((await apiCall(p, 'GET', '/v1/connections')).body);
    const leaks = [...pg.leaks, ...redis.leaks, ...scanText('logs', logLines, forms), ...scanText('api', [answers], forms)];
    expect(leaks).toEqual([]);
    // The scan looks where the rows are: the audit trail names the refreshes, never a token.
    const { rows } = await p.db.pool.query(`SELECT action FROM audit_logs WHERE target_type = 'connection'`);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['connection.created', 'connection.connected', 'connection.refreshed', 'connection.refresh_refused', 'connection.deleted']));
    expect(logLines.length).toBeGreaterThan(0);
  });
});
