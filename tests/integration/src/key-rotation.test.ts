import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openRuleSecret, sealRuleSecret } from '@weft/alerts';
import { ENVELOPE_TABLES, KEK_ONLY_TABLES, Keyring, decryptSecretText, rotateAllEnvelopes, type Envelope } from '@weft/crypto';
import { openCredentials } from '@weft/oauth';
import { openWebhookSecret } from '@weft/webhook-signatures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
import { startPlatform, type Platform } from './platform';

// `npm run rotate-keys` re-wraps every envelope the platform stores, not only org secrets: one of
// each (secret, webhook signing secret, alert channel secret, OAuth connection) is created through
// the API, the command rotates, the old KEK is removed and each still decrypts to what was stored.

let p: Platform;
const root = new URL('../../..', import.meta.url).pathname;

beforeAll(async () => {
  p = await startPlatform({ workers: false });
});
afterAll(async () => {
  await p?.stop();
});

const envelopeOf = (r: { ciphertext: Buffer; nonce: Buffer; wrapped_key: Buffer; kek_id: string }): Envelope => ({ ciphertext: r.ciphertext, nonce: r.nonce, wrappedKey: r.wrapped_key, kekId: r.kek_id });

function rotateKeysCommand(keyring: Keyring): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(`${root}node_modules/.bin/tsx`, [`${root}scripts/rotate-keys.ts`], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: p.databaseUrl, ...keyring.toEnv(), WEFT_ROTATE_BATCH_SIZE: '2' },
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('exit', (code) => resolve({ code, text }));
  });
}

describe('rotate-keys covers every envelope-bearing table', () => {
  it('every table with a wrapped_key column is in ENVELOPE_TABLES, every other kek_id table is declared as holding none', async () => {
    const { rows } = await p.db.pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ('wrapped_key', 'kek_id')`,
    );
    const withEnvelope = new Set(rows.filter((r) => r.column_name === 'wrapped_key').map((r) => r.table_name));
    const withKek = new Set(rows.filter((r) => r.column_name === 'kek_id').map((r) => r.table_name));
    expect([...withEnvelope].sort()).toEqual(ENVELOPE_TABLES.map((t) => t.table).sort());
    expect([...withKek].filter((t) => !withEnvelope.has(t)).sort()).toEqual([...KEK_ONLY_TABLES].sort());
  });

  it('a secret, a webhook, an alert rule and a connection are re-wrapped; with the old KEK removed each decrypts', async () => {
    const secretValue = `s3cret-${randomBytes(8).toString('hex')}`;
    const slackUrl = `http://127.0.0.1:9/services/T0/B0/${randomBytes(8).toString('hex')}`;
    const clientSecret = `client-${randomBytes(8).toString('hex')}`;
    const secret = await p.client.createSecret({ name: 'ROTATED', value: secretValue });
    const wf = await p.client.createWorkflow({ name: 'rotation' });
    await p.client.publishVersion(wf.id, { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] } as never);
    const hook = await apiCall(p, 'POST', `/v1/workflows/${wf.id}/webhooks`, { verification: { scheme: 'standard-webhooks' } });
    expect(hook.status).toBe(201);
    const rule = await p.client.createAlert(wf.id, { name: 'failing', condition: { type: 'failure' }, channel: { type: 'slack', webhookUrl: slackUrl } });
    const conn = await apiCall(p, 'POST', '/v1/connections', { provider: 'slack', name: 'rotated-conn', clientId: '1111.2222', clientSecret, scopes: [] });
    expect(conn.status).toBe(201);

    const old = p.keyring;
    const before = await rowsByTable();
    for (const t of ENVELOPE_TABLES) {
      expect(before[t.table]!.length, t.table).toBeGreaterThan(0);
      for (const r of before[t.table]!) expect(r.kek_id).toBe(old.currentId);
    }

    const next = old.with({ add: new Map([['kek-next', randomBytes(32)]]), currentId: 'kek-next' });
    const out = await rotateKeysCommand(next);
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain(`${old.currentId} can now be removed from WEFT_KEKS`);
    for (const t of ENVELOPE_TABLES) expect(out.text).toContain(`${t.table}:`);

    const after = await rowsByTable();
    for (const t of ENVELOPE_TABLES) {
      // Only the wrapped key and its KEK id changed: the ciphertexts are the same bytes.
      expect(after[t.table]!.map((r) => [r.id, r.kek_id, r.ciphertext])).toEqual(before[t.table]!.map((r) => [r.id, 'kek-next', r.ciphertext]));
    }

    const onlyNext = next.with({ remove: [old.currentId] });
    const [sv] = after.secret_versions!;
    expect(decryptSecretText(onlyNext, envelopeOf(sv!), { orgId: p.orgId, secretId: secret.id, version: 1 })).toBe(secretValue);
    const [ws] = after.webhook_secrets!;
    expect(openWebhookSecret(onlyNext, p.orgId, ws!.id, envelopeOf(ws!))).toBe(hook.body.secret);
    const [ar] = after.alert_rules!;
    expect(ar!.id).toBe(rule.id);
    expect(openRuleSecret(onlyNext, p.orgId, rule.id, envelopeOf(ar!))).toBe(slackUrl);
    const [oc] = after.oauth_connections!;
    expect(openCredentials(onlyNext, p.orgId, conn.body.id, Number(oc!.credential_version), envelopeOf(oc!))).toMatchObject({ clientSecret });
    // The old KEK alone no longer opens them (they really moved).
    expect(() => decryptSecretText(old, envelopeOf(sv!), { orgId: p.orgId, secretId: secret.id, version: 1 })).toThrow(/KEK "kek-next" is not configured/);

    // Nothing is left to do.
    expect(await rotateAllEnvelopes(p.db.pool, onlyNext)).toMatchObject({ scanned: 0, rewrapped: 0, remaining: 0, failures: [] });
  });

  it('a row under a KEK the command was not given is reported and the command exits non-zero', async () => {
    const lost = Keyring.generate('kek-lost');
    const stray = lost.with({ add: new Map([['kek-next', randomBytes(32)]]), currentId: 'kek-lost' });
    const rule = await p.db.pool.query<{ id: string }>(`SELECT id FROM alert_rules LIMIT 1`);
    const env = sealRuleSecret(stray, p.orgId, rule.rows[0]!.id, 'x');
    await p.db.pool.query(`UPDATE alert_rules SET ciphertext = $2, nonce = $3, wrapped_key = $4, kek_id = $5 WHERE id = $1`, [rule.rows[0]!.id, env.ciphertext, env.nonce, env.wrappedKey, env.kekId]);
    const out = await rotateKeysCommand(Keyring.generate('kek-other').with({ add: new Map([['kek-next', randomBytes(32)]]) }));
    expect(out.code).toBe(1);
    expect(out.text).toContain(`alert_rules row ${rule.rows[0]!.id} (KEK "kek-lost"): unknown_kek`);
  });
});

type EnvelopeRow = { id: string; kek_id: string; ciphertext: Buffer; nonce: Buffer; wrapped_key: Buffer; credential_version?: number };

async function rowsByTable(): Promise<Record<string, EnvelopeRow[]>> {
  const out: Record<string, EnvelopeRow[]> = {};
  for (const t of ENVELOPE_TABLES) {
    const extra = t.table === 'oauth_connections' ? ', credential_version' : '';
    out[t.table] = (await p.db.pool.query<EnvelopeRow>(`SELECT id, kek_id, ciphertext, nonce, wrapped_key${extra} FROM ${t.table} WHERE wrapped_key IS NOT NULL ORDER BY id`)).rows;
  }
  return out;
}
