import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring, decryptSecretText, encryptSecret, rotateSecretKeys } from '@weft/crypto';
import { newId } from '@weft/db';
import { createLogger } from '@weft/logger';
import { WeftApiError, type WeftClient } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLeakForms, capturePubSub, scanPostgres, scanRedis, scanText } from './leak-scan';
import { startPlatform, type Platform } from './platform';

// A token with the characters base64 and URL encoding change, and a password with the ones JSON
// escaping changes, so every encoded form differs from the plain one.
const TOKEN = `tok_${randomBytes(18).toString('base64')}+/=`;
const PASSWORD = `p@ss w0rd "quoted" & ünï ${randomBytes(6).toString('hex')}`;

interface Reflected {
  method: string;
  headers: IncomingHttpHeaders;
  query: string;
  raw: string;
}

/**
 * Stands for a remote API that echoes what it gets, encoded every way a careless server might:
 * the headers and body as received, and their base64, base64url and URL-encoded forms.
 */
async function startReflector() {
  const received: Reflected[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ method: req.method ?? '', headers: req.headers, query: url.search, raw });
      const auth = String(req.headers.authorization ?? '');
      const key = String(req.headers['x-api-key'] ?? '');
      const echo = {
        headers: req.headers,
        query: Object.fromEntries(url.searchParams),
        rawQuery: url.search,
        raw,
        b64Auth: Buffer.from(auth).toString('base64'),
        b64Key: Buffer.from(key).toString('base64'),
        b64urlKey: Buffer.from(key).toString('base64url'),
        b64Body: Buffer.from(raw).toString('base64'),
        urlAuth: encodeURIComponent(auth),
        urlBody: encodeURIComponent(raw),
      };
      const status = url.pathname === '/deny' ? 401 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo-key': key });
      res.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let p: Platform;
let reflector: Awaited<ReturnType<typeof startReflector>>;
const logLines: string[] = [];

beforeAll(async () => {
  // Every part of the platform logs at debug level into this array.
  const logger = createLogger({ service: 'test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  [p, reflector] = await Promise.all([startPlatform({ logger }), startReflector()]);
});
afterAll(async () => {
  await p?.stop();
  await reflector?.close();
});

async function expectProblem(promise: Promise<unknown>, status: number, path?: string) {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WeftApiError);
  const e = err as WeftApiError;
  expect(e.status).toBe(status);
  if (path) expect(e.issues.map((i) => i.path)).toContain(path);
  return e;
}

async function runWorkflow(client: WeftClient, nodes: Record<string, unknown>[], inputs: Record<string, unknown> = {}, settings?: Record<string, unknown>) {
  const wf = await client.createWorkflow({
    name: `secrets ${randomBytes(3).toString('hex')}`,
    definition: {
      nodes: [{ id: 't', type: 'trigger', config: {} }, ...nodes],
      edges: nodes.map((n, i) => ({ source: i === 0 ? 't' : String((nodes[i - 1] as { id: string }).id), target: String(n.id) })),
      ...(settings ? { settings } : {}),
    },
  });
  await client.publishVersion(wf.id);
  return client.waitForRun((await client.createRun({ workflowId: wf.id, inputs: inputs as never })).runId, { timeoutMs: 30_000 });
}

const callNode = (url: string, extra: Record<string, unknown> = {}) => ({
  id: 'call',
  type: 'http_request',
  config: {
    method: 'POST',
    url,
    query: { token: '{{ secrets.API_TOKEN }}' },
    headers: { authorization: 'Bearer {{ secrets.API_TOKEN }}', 'x-api-key': '{{ secrets.API_TOKEN }}' },
    body: { user: '{{ input.user }}', password: '{{ secrets.DB_PASSWORD }}', both: '{{ secrets.API_TOKEN }}:{{ secrets.DB_PASSWORD }}' },
    ...extra,
  },
});

describe('The secrets API', () => {
  it('creates, lists, reads, updates and deletes secrets, never answering a value', async () => {
    const created = await p.client.createSecret({ name: 'CRUD_ONE', value: 'first-value', description: 'for the CRUD test' });
    expect(created).toEqual({ id: expect.any(String), name: 'CRUD_ONE', description: 'for the CRUD test', version: 1, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(JSON.stringify(await p.client.listSecrets())).not.toContain('first-value');
    expect((await p.client.listSecrets()).items.map((s) => s.name)).toContain('CRUD_ONE');
    expect(await p.client.getSecret('CRUD_ONE')).toEqual(created);

    const v2 = await p.client.updateSecret('CRUD_ONE', { value: 'second-value' });
    expect(v2).toMatchObject({ id: created.id, version: 2, description: 'for the CRUD test' });
    const described = await p.client.updateSecret('CRUD_ONE', { description: 'renamed' });
    expect(described).toMatchObject({ version: 2, description: 'renamed' });

    const { rows: versions } = await p.db.pool.query(`SELECT version, kek_id, ciphertext, wrapped_key FROM secret_versions WHERE secret_id = $1 ORDER BY version`, [created.id]);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    for (const v of versions) {
      expect(v.kek_id).toBe(p.keyring.currentId);
      expect((v.ciphertext as Buffer).includes(Buffer.from('value'))).toBe(false);
    }

    await p.client.deleteSecret('CRUD_ONE');
    await expectProblem(p.client.getSecret('CRUD_ONE'), 404);
    await expectProblem(p.client.deleteSecret('CRUD_ONE'), 404);
    expect((await p.client.listSecrets()).items.map((s) => s.name)).not.toContain('CRUD_ONE');
    // The name can be taken again; version numbers continue, so no (secret, version) repeats.
    expect(await p.client.createSecret({ name: 'CRUD_ONE', value: 'third-value' })).toMatchObject({ id: created.id, version: 3, description: '' });
  });

  it('answers problem+json with the path of every bad field', async () => {
    await expectProblem(p.client.createSecret({ name: 'lower_case', value: 'abcd' }), 400, 'body.name');
    await expectProblem(p.client.createSecret({ name: '1STARTS_WITH_DIGIT', value: 'abcd' }), 400, 'body.name');
    await expectProblem(p.client.createSecret({ name: `A${'B'.repeat(64)}`, value: 'abcd' }), 400, 'body.name');
    await expectProblem(p.client.createSecret({ name: 'SHORT', value: 'abc' }), 400, 'body.value');
    await expectProblem(p.client.call('POST', '/v1/secrets', { name: 'EXTRA', value: 'abcd', plaintext: true }), 400);
    await expectProblem(p.client.getSecret('not-a-name'), 400, 'params.name');
    await p.client.createSecret({ name: 'TAKEN', value: 'abcd' });
    const dup = await expectProblem(p.client.createSecret({ name: 'TAKEN', value: 'efgh' }), 409, 'body.name');
    expect(dup.problem.type).toBe('https://weft.dev/problems/conflict');
    await expectProblem(p.client.updateSecret('TAKEN', {}), 400, 'body.value');
    await expectProblem(p.client.updateSecret('MISSING', { value: 'abcd' }), 404);
  });

  it('keeps orgs apart: another org sees nothing and answers 404', async () => {
    await p.client.createSecret({ name: 'MINE_ONLY', value: 'mine-only-value' });
    const other = await p.newOrgClient();
    expect((await other.listSecrets()).items).toEqual([]);
    await expectProblem(other.getSecret('MINE_ONLY'), 404);
    await expectProblem(other.updateSecret('MINE_ONLY', { value: 'overwrite' }), 404);
    await expectProblem(other.deleteSecret('MINE_ONLY'), 404);
    // The same name in the other org is another secret.
    const theirs = await other.createSecret({ name: 'MINE_ONLY', value: 'their-value' });
    expect(theirs.id).not.toBe((await p.client.getSecret('MINE_ONLY')).id);
  });

  it('is documented in the OpenAPI document, with no value in any answer schema', async () => {
    const spec = (await (await fetch(`${p.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/secrets', '/v1/secrets/{name}']));
    const answers = JSON.stringify([spec.paths['/v1/secrets']!.get!.responses['200'], spec.paths['/v1/secrets/{name}']!.get!.responses['200']]);
    expect(answers).toContain('"version"');
    expect(answers).not.toContain('"value"');
  });

  it('audits create, update and delete with the API key as the actor, never the value', async () => {
    const s = await p.client.createSecret({ name: 'AUDITED', value: 'audited-value' });
    await p.client.updateSecret('AUDITED', { value: 'audited-value-2' });
    await p.client.deleteSecret('AUDITED');
    const { rows: [key] } = await p.db.pool.query(`SELECT id FROM api_keys WHERE hash = encode(sha256($1::bytea), 'hex')`, [p.apiKey]);
    const { rows } = await p.db.pool.query(`SELECT actor_type, actor_id, action, target_type, target_id, data FROM audit_logs WHERE target_id = $1 ORDER BY created_at, action`, [s.id]);
    expect(rows.map((r) => r.action)).toEqual(['secret.created', 'secret.updated', 'secret.deleted']);
    for (const r of rows) expect(r).toMatchObject({ actor_type: 'api_key', actor_id: key.id, target_type: 'secret', data: { name: 'AUDITED' } });
    expect(JSON.stringify(rows)).not.toContain('audited-value');
  });
});

describe('Secrets in a running workflow', () => {
  it('resolves {{ secrets.NAME }} inside the step only, and the plaintext appears nowhere: not in Postgres, Redis, pub/sub or logs', async () => {
    await p.client.createSecret({ name: 'API_TOKEN', value: TOKEN });
    await p.client.createSecret({ name: 'DB_PASSWORD', value: PASSWORD });
    const pubsub = await capturePubSub(p.redisUrl, p.prefix);
    // The remote echoes the secrets back (also base64- and URL-encoded), a downstream transform
    // copies that answer, and the run output takes it too.
    const run = await runWorkflow(
      p.client,
      [callNode(`${reflector.url}/reflect`), { id: 'copy', type: 'transform', config: { expression: 'steps.call.output' } }],
      { user: 'ada' },
      { output: '{ echoed: steps.copy.output.body, headers: steps.call.output.headers }' },
    );
    expect(run.status).toBe('succeeded');

    // The remote really got the secrets.
    const got = reflector.received.at(-1)!;
    expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(got.headers['x-api-key']).toBe(TOKEN);
    expect(JSON.parse(got.raw)).toEqual({ user: 'ada', password: PASSWORD, both: `${TOKEN}:${PASSWORD}` });
    expect(new URLSearchParams(got.query).get('token')).toBe(TOKEN);

    // What the run kept is masked, encoded forms included.
    const body = (run.steps.find((s) => s.nodeId === 'call')!.output as { body: Record<string, unknown> }).body;
    expect(body.headers).toMatchObject({ authorization: 'Bearer [secret]', 'x-api-key': '[secret]' });
    expect(body.b64Key).toBe('[secret]');
    expect(JSON.parse(String(body.raw))).toEqual({ user: 'ada', password: '[secret]', both: '[secret]:[secret]' });
    expect(String(body.b64Auth)).toContain('[secret]');
    expect(String(body.urlBody)).toContain('[secret]');

    // Every secret use is audited (actor: the run), with names only.
    const { rows: uses } = await p.db.pool.query(
      `SELECT actor_type, actor_id, target_id, data FROM audit_logs WHERE action = 'secret.used' AND data->>'runId' = $1 ORDER BY data->>'name'`,
      [run.id],
    );
    const step = run.steps.find((s) => s.nodeId === 'call')!;
    expect(uses.map((u) => u.data.name)).toEqual(['API_TOKEN', 'DB_PASSWORD']);
    for (const u of uses) expect(u).toMatchObject({ actor_type: 'run', actor_id: run.id, data: { runId: run.id, stepId: step.id, nodeId: 'call' } });
    // The dashboard's "last used by": the newest use, with the run's workflow (and never a value).
    const listed = (await p.client.listSecrets()).items.find((s) => s.name === 'API_TOKEN')!;
    expect(listed.lastUsed).toEqual({ at: expect.any(String), version: 1, runId: run.id, workflowId: run.workflowId, workflowName: expect.any(String) });
    expect((await p.client.getSecret('DB_PASSWORD')).lastUsed).toMatchObject({ runId: run.id, workflowId: run.workflowId });

    // Give the last pub/sub messages and log lines a moment to land, then scan everything.
    await new Promise((r) => setTimeout(r, 300));
    pubsub.close();
    const forms = [...allLeakForms(TOKEN), ...allLeakForms(PASSWORD)];
    const pg = await scanPostgres(p.db, forms);
    const redis = await scanRedis(p.redisUrl, p.prefix, forms);
    const leaks = [...pg.leaks, ...redis.leaks, ...scanText('pub/sub', pubsub.messages, forms), ...scanText('logs', logLines, forms)];
    expect(leaks).toEqual([]);
    // The scans looked at real data (positive controls: the secret names and the run are there).
    expect(pg.columns).toBeGreaterThan(100);
    expect((await scanPostgres(p.db, ['API_TOKEN'])).leaks.map((l) => l.where)).toEqual(expect.arrayContaining(['secrets.name', 'workflow_versions.definition']));
    expect(redis.keys).toBeGreaterThan(0);
    expect(scanText('pub/sub', pubsub.messages, [run.id]).length).toBeGreaterThan(0);
  });

  it('masks a secret the remote echoes into an error, and in the step error details', async () => {
    const run = await runWorkflow(p.client, [callNode(`${reflector.url}/deny`)], { user: 'bo' });
    expect(run.status).toBe('failed');
    const error = run.steps.find((s) => s.nodeId === 'call')!.error!;
    expect(error).toMatchObject({ code: 'http_error', retryable: false });
    const text = JSON.stringify(error);
    expect(text).toContain('[secret]');
    for (const f of [...allLeakForms(TOKEN), ...allLeakForms(PASSWORD)]) expect(text).not.toContain(f);
  });

  it('fails a step that names an unknown secret, non-retryable, naming the secret', async () => {
    const run = await runWorkflow(p.client, [{ id: 'call', type: 'http_request', config: { method: 'GET', url: `${reflector.url}/x`, headers: { k: '{{ secrets.NOPE_MISSING }}' }, retry: { maxAttempts: 3, initialDelayMs: 10 } } }]);
    expect(run.status).toBe('failed');
    const steps = run.steps.filter((s) => s.nodeId === 'call');
    expect(steps).toHaveLength(1);
    expect(steps[0]!.error).toMatchObject({ code: 'secret_not_found', retryable: false, details: { secrets: ['NOPE_MISSING'] } });
    expect(steps[0]!.error!.message).toContain('NOPE_MISSING');
  });

  it('uses the new value after an update, and fails after a delete', async () => {
    await p.client.createSecret({ name: 'ROTATING', value: 'value-one-1' });
    const node = { id: 'call', type: 'http_request', config: { method: 'GET', url: `${reflector.url}/r`, headers: { 'x-api-key': '{{ secrets.ROTATING }}' } } };
    await runWorkflow(p.client, [node]);
    expect(reflector.received.at(-1)!.headers['x-api-key']).toBe('value-one-1');
    await p.client.updateSecret('ROTATING', { value: 'value-two-2' });
    await runWorkflow(p.client, [node]);
    expect(reflector.received.at(-1)!.headers['x-api-key']).toBe('value-two-2');
    await p.client.deleteSecret('ROTATING');
    const run = await runWorkflow(p.client, [node]);
    expect(run.steps.at(-1)!.error).toMatchObject({ code: 'secret_not_found' });
  });

  it("never resolves another org's secret of the same name", async () => {
    const other = await p.newOrgClient();
    await other.createSecret({ name: 'OTHER_ORG_ONLY', value: 'belongs-to-other' });
    const run = await runWorkflow(p.client, [{ id: 'call', type: 'http_request', config: { method: 'GET', url: `${reflector.url}/o`, headers: { k: '{{ secrets.OTHER_ORG_ONLY }}' } } }]);
    expect(run.steps.at(-1)!.error).toMatchObject({ code: 'secret_not_found' });
  });

  it('refuses at publish a secret where it cannot be resolved', async () => {
    const wf = await p.client.createWorkflow({
      name: 'secret in a transform',
      definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'x', type: 'transform', config: { expression: 'secrets.API_TOKEN' } }], edges: [{ source: 't', target: 'x' }] },
    });
    const err = await expectProblem(p.client.publishVersion(wf.id), 400, 'nodes[1].config.expression');
    expect(err.issues[0]).toMatchObject({ code: 'secret_not_allowed', nodeId: 'x' });
  });
});

/** Templates that reshape a secret: each is refused at publish, and at run time if stored anyway. */
const RESHAPED = [
  'reverse(secrets.API_TOKEN)',
  'upper(secrets.API_TOKEN)',
  'lower(secrets.API_TOKEN)',
  "join('-', split(secrets.API_TOKEN, ''))",
  'secrets.API_TOKEN[::-1]',
  'to_array(secrets.API_TOKEN)',
  'secrets.API_TOKEN.x',
  '$.secrets.API_TOKEN',
  "secrets.API_TOKEN || 'x'",
];

describe('Secrets cannot be reshaped', () => {
  it('refuses at publish a secret taken as input by anything, naming the node, the path and the rule', async () => {
    for (const expression of RESHAPED) {
      const wf = await p.client.createWorkflow({
        name: `reshaped ${randomBytes(3).toString('hex')}`,
        definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { method: 'GET', url: `${reflector.url}/x?q={{ ${expression} }}` } }], edges: [{ source: 't', target: 'call' }] },
      });
      const err = await expectProblem(p.client.publishVersion(wf.id), 400, 'nodes[1].config.url');
      expect(err.issues, expression).toContainEqual(expect.objectContaining({ path: 'nodes[1].config.url', code: 'secret_reshaped', nodeId: 'call', message: expect.stringContaining('bare path secrets.NAME') }));
    }
  });

  it('refuses at run time a version stored before that rule, sending nothing and decrypting nothing', async () => {
    const wf = await p.client.createWorkflow({
      name: `stored before the rule ${randomBytes(3).toString('hex')}`,
      definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'call', type: 'http_request', config: { method: 'GET', url: `${reflector.url}/fine` } }], edges: [{ source: 't', target: 'call' }] },
    });
    await p.client.publishVersion(wf.id);
    const received = reflector.received.length;
    const runIds: string[] = [];
    for (const [i, expression] of RESHAPED.entries()) {
      // Written straight into the table, as a version published before the rule would be.
      const versionId = newId();
      const definition = {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'call', type: 'http_request', config: { method: 'POST', url: `${reflector.url}/stored`, headers: { authorization: 'Bearer {{ secrets.API_TOKEN }}', 'x-reshaped': `{{ ${expression} }}` }, retry: { maxAttempts: 3, initialDelayMs: 10 } } },
        ],
        edges: [{ source: 't', target: 'call' }],
      };
      await p.db.pool.query(`INSERT INTO workflow_versions (id, org_id, workflow_id, version, definition) VALUES ($1, $2, $3, $4, $5)`, [versionId, p.orgId, wf.id, i + 2, JSON.stringify(definition)]);
      const run = await p.client.waitForRun((await p.client.createRun({ workflowVersionId: versionId })).runId, { timeoutMs: 30_000 });
      runIds.push(run.id);
      expect(run.status, expression).toBe('failed');
      const steps = run.steps.filter((s) => s.nodeId === 'call');
      expect(steps, expression).toHaveLength(1); // not retried
      expect(steps[0]!.error, expression).toMatchObject({ code: 'secret_reshaped', retryable: false, details: { path: 'headers.x-reshaped', rule: 'secret_reshaped' } });
      expect(steps[0]!.error!.message, expression).toContain(`{{ ${expression} }} at headers.x-reshaped`);
      expect(steps[0]!.error!.message, expression).toContain('bare path secrets.NAME');
      const text = JSON.stringify(run);
      for (const f of allLeakForms(TOKEN)) expect(text).not.toContain(f);
    }
    expect(reflector.received.length).toBe(received);
    const { rows } = await p.db.pool.query(`SELECT count(*)::int AS n FROM audit_logs WHERE action = 'secret.used' AND data->>'runId' = ANY($1::text[])`, [runIds]);
    expect(rows[0].n).toBe(0);
  });

  it('keeps secrets out of expressions that read the whole context beside a bare secret, through a server that echoes everything', async () => {
    const node = {
      id: 'call',
      type: 'http_request',
      config: {
        method: 'POST',
        url: `${reflector.url}/whole?ctx={{ to_string(@) }}`,
        headers: { authorization: 'Bearer {{ secrets.API_TOKEN }}', 'x-root': '{{ reverse(to_string($)) }}' },
        body: { all: '{{ @ }}', root: '{{ $ }}', values: '{{ values(@) }}', upper: '{{ upper(to_string(@)) }}', bound: '{{ let $c = @ in $c }}', pwd: '{{ secrets.DB_PASSWORD }}' },
      },
    };
    const run = await runWorkflow(p.client, [node], { user: 'ed' });
    expect(run.status).toBe('succeeded');
    const got = reflector.received.at(-1)!;
    expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // What the expressions saw had no secrets: only the bare templates sent them.
    const body = JSON.parse(got.raw) as Record<string, unknown>;
    expect(body.pwd).toBe(PASSWORD);
    delete body.pwd;
    const sentElsewhere = JSON.stringify([body, got.query, got.headers['x-root']]);
    for (const f of [...allLeakForms(TOKEN), ...allLeakForms(PASSWORD)]) expect(sentElsewhere).not.toContain(f);
    expect(body.all).toMatchObject({ input: { user: 'ed' } });

    await new Promise((r) => setTimeout(r, 300));
    const forms = [...allLeakForms(TOKEN), ...allLeakForms(PASSWORD)];
    const pg = await scanPostgres(p.db, forms);
    const redis = await scanRedis(p.redisUrl, p.prefix, forms);
    expect([...pg.leaks, ...redis.leaks, ...scanText('logs', logLines, forms)]).toEqual([]);
  });
});

describe('Rotating the key-encryption key', () => {
  let afterRotation: Keyring | undefined;
  it('re-wraps every data key under the new KEK while readers keep decrypting, then the old KEK can go', async () => {
    const old = p.keyring;
    const next = old.with({ add: new Map([['kek-next', randomBytes(32)]]), currentId: 'kek-next' });
    // Bulk rows under the old KEK, in the exact format the gateway writes.
    const org = p.orgId;
    const expected = new Map<string, { secretId: string; version: number; value: string }>();
    for (let i = 0; i < 400; i++) {
      const secretId = newId();
      const value = `bulk-${i}-${randomBytes(8).toString('hex')}`;
      const e = encryptSecret(old, value, { orgId: org, secretId, version: 1 });
      await p.db.pool.query(`INSERT INTO secrets (id, org_id, name, current_version) VALUES ($1, $2, $3, 1)`, [secretId, org, `BULK_${i}`]);
      const id = newId();
      await p.db.pool.query(
        `INSERT INTO secret_versions (id, org_id, secret_id, version, ciphertext, nonce, wrapped_key, kek_id) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)`,
        [id, org, secretId, e.ciphertext, e.nonce, e.wrappedKey, e.kekId],
      );
      expected.set(id, { secretId, version: 1, value });
    }
    const ciphertextsBefore = await p.db.pool.query(`SELECT id, ciphertext, nonce FROM secret_versions ORDER BY id`);
    const ids = [...expected.keys()];

    // Readers: read a random row, decrypt with the keys the services hold during rotation.
    let rotating = true;
    let reads = 0;
    const errors: unknown[] = [];
    const keksSeen = new Set<string>();
    const reader = async () => {
      while (rotating) {
        const id = ids[Math.floor(Math.random() * ids.length)]!;
        try {
          const { rows: [r] } = await p.db.pool.query(`SELECT ciphertext, nonce, wrapped_key, kek_id FROM secret_versions WHERE id = $1`, [id]);
          const want = expected.get(id)!;
          keksSeen.add(r.kek_id);
          const value = decryptSecretText(next, { ciphertext: r.ciphertext, nonce: r.nonce, wrappedKey: r.wrapped_key, kekId: r.kek_id }, { orgId: org, secretId: want.secretId, version: want.version });
          if (value !== want.value) errors.push(new Error(`row ${id} decrypted to another value`));
          reads++;
        } catch (err) {
          errors.push(err);
        }
      }
    };
    const readers = Array.from({ length: 4 }, reader);
    const result = await rotateSecretKeys(p.db.pool, next, { batchSize: 25, pauseMs: 5 });
    rotating = false;
    await Promise.all(readers);

    expect(errors).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    expect(keksSeen).toEqual(new Set([old.currentId, 'kek-next'])); // readers saw both sides of the rotation
    expect(result).toMatchObject({ failed: 0, remaining: 0, failures: [] });
    expect(result.rewrapped).toBeGreaterThanOrEqual(400);
    const { rows: after } = await p.db.pool.query(`SELECT id, ciphertext, nonce, kek_id, org_id, secret_id, version, wrapped_key FROM secret_versions ORDER BY id`);
    expect(new Set(after.map((r) => r.kek_id))).toEqual(new Set(['kek-next']));
    expect(after.map((r) => [r.id, r.ciphertext, r.nonce])).toEqual(ciphertextsBefore.rows.map((r) => [r.id, r.ciphertext, r.nonce]));

    // The old KEK can be removed: the new one alone decrypts every row, in the crypto package
    // and in a real run on an executor restarted with only the new KEK.
    const onlyNext = next.with({ remove: [old.currentId] });
    afterRotation = onlyNext;
    for (const r of after) {
      decryptSecretText(onlyNext, { ciphertext: r.ciphertext, nonce: r.nonce, wrappedKey: r.wrapped_key, kekId: r.kek_id }, { orgId: r.org_id, secretId: r.secret_id, version: r.version });
    }
    await p.stopWorkers();
    await p.startWorkers({ keyring: onlyNext });
    const run = await runWorkflow(p.client, [callNode(`${reflector.url}/after-rotation`)], { user: 'cy' });
    expect(run.status).toBe('succeeded');
    expect(reflector.received.at(-1)!.headers['x-api-key']).toBe(TOKEN);
    // A second rotation has nothing left to do.
    expect(await rotateSecretKeys(p.db.pool, onlyNext)).toMatchObject({ scanned: 0, rewrapped: 0, remaining: 0 });
  });

  it('the rotate-keys command re-wraps under WEFT_KEK_CURRENT and says when the old KEK can go', async () => {
    const cli = afterRotation!.with({ add: new Map([['kek-cli', randomBytes(32)]]), currentId: 'kek-cli' });
    const root = new URL('../../..', import.meta.url).pathname;
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(`${root}node_modules/.bin/tsx`, [`${root}scripts/rotate-keys.ts`], {
        cwd: root,
        env: { PATH: process.env.PATH, DATABASE_URL: p.databaseUrl, ...cli.toEnv(), WEFT_ROTATE_BATCH_SIZE: '50' },
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain('kek-next can now be removed from WEFT_KEKS');
    const { rows } = await p.db.pool.query(`SELECT DISTINCT kek_id FROM secret_versions`);
    expect(rows).toEqual([{ kek_id: 'kek-cli' }]);
    // Workers holding only the new KEK run the secret workflow.
    await p.stopWorkers();
    await p.startWorkers({ keyring: cli.with({ remove: ['kek-next'] }) });
    expect((await runWorkflow(p.client, [callNode(`${reflector.url}/after-cli`)], { user: 'di' })).status).toBe('succeeded');
  });
});

describe('After everything above (runs, errors, retries, rotations)', () => {
  it('no trace of any secret value is left in Postgres, Redis or the debug-level logs', async () => {
    const forms = [...allLeakForms(TOKEN), ...allLeakForms(PASSWORD)];
    const pg = await scanPostgres(p.db, forms);
    const redis = await scanRedis(p.redisUrl, p.prefix, forms);
    expect([...pg.leaks, ...redis.leaks, ...scanText('logs', logLines, forms)]).toEqual([]);
    // The logs were written (failed steps are logged with their masked error).
    expect(logLines.some((l) => l.includes('step failed'))).toBe(true);
  });
});
