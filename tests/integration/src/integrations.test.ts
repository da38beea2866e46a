import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';
import { startSaasFakes } from './saas-fakes';

let p: Platform;
let fakes: Awaited<ReturnType<typeof startSaasFakes>>;
beforeAll(async () => {
  fakes = await startSaasFakes();
  p = await startPlatform({ integrationUrls: fakes.urls });
});
afterAll(async () => {
  await p?.stop();
  await fakes?.close();
});

async function runNode(node: { type: string; config: Record<string, unknown> }, inputs: Record<string, unknown> = {}) {
  const wf = await p.client.createWorkflow({
    name: node.type,
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'n', ...node }], edges: [{ source: 't', target: 'n' }] },
  });
  await p.client.publishVersion(wf.id);
  const run = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, inputs: inputs as never })).runId);
  return { run, step: run.steps.findLast((s) => s.nodeId === 'n')! };
}

describe('Integration nodes against servers that answer like the real services', () => {
  it('posts a Slack message with a bot token and reports Slack errors by name', async () => {
    const ok = await runNode({ type: 'slack_message', config: { token: 'xoxb-good', channel: '#ops', text: 'order {{ input.id }} shipped' } }, { id: 7 });
    expect(ok.run.status).toBe('succeeded');
    expect(ok.step.output).toEqual({ ok: true, channel: 'C123', ts: '1700000000.000100' });
    const call = fakes.calls.findLast((c) => c.path.endsWith('chat.postMessage'))!;
    expect(call.headers.authorization).toBe('Bearer xoxb-good');
    expect(call.body).toEqual({ channel: '#ops', text: 'order 7 shipped' });
    const missing = await runNode({ type: 'slack_message', config: { token: 'xoxb-good', channel: '#nowhere', text: 'x' } });
    expect(missing.step.error).toMatchObject({ code: 'slack_error', retryable: false, details: { error: 'channel_not_found' } });
    const busy = await runNode({ type: 'slack_message', config: { token: 'xoxb-good', channel: '#busy', text: 'x' } });
    expect(busy.step.error).toMatchObject({ code: 'http_error', retryable: true, details: { status: 429, retryAfterMs: 1000 } });
  });

  it('posts through a Slack incoming webhook', async () => {
    const ok = await runNode({ type: 'slack_message', config: { webhookUrl: fakes.slackWebhook(true), text: 'hello' } });
    expect(ok.step.output).toEqual({ ok: true });
    const revoked = await runNode({ type: 'slack_message', config: { webhookUrl: fakes.slackWebhook(false), text: 'hello' } });
    expect(revoked.step.error).toMatchObject({ code: 'http_error', retryable: false });
    expect(revoked.step.error!.message).toContain('no_service');
  });

  it('appends rows to Google Sheets', async () => {
    const ok = await runNode(
      { type: 'google_sheets_append', config: { accessToken: 'ya29.good', spreadsheetId: 'sheet1', range: 'Orders!A:C', values: [['{{ input.id }}', '{{ input.total }}', 'new']] } },
      { id: 'A1', total: 42 },
    );
    expect(ok.step.output).toEqual({ spreadsheetId: 'sheet1', updatedRange: 'Orders!A2:C2', updatedRows: 1, updatedCells: 3 });
    const call = fakes.calls.findLast((c) => c.service === 'sheets')!;
    expect(call.path).toBe('/sheets/v4/spreadsheets/sheet1/values/Orders!A%3AC:append?valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS');
    expect(call.body).toEqual({ majorDimension: 'ROWS', values: [['A1', 42, 'new']] });
    const denied = await runNode({ type: 'google_sheets_append', config: { accessToken: 'ya29.bad', spreadsheetId: 's', range: 'A:B', values: [[1]] } });
    expect(denied.step.error).toMatchObject({ code: 'http_error', retryable: false });
    expect(denied.step.error!.message).toContain('invalid authentication credentials');
  });

  it('completes with an OpenAI-compatible API and with Gemini, and meters the tokens', async () => {
    const ai = await runNode({ type: 'llm_completion', config: { apiKey: 'sk-good', model: 'gpt-test', system: 'be brief', prompt: 'Hi {{ input.name }}', temperature: 0.1, maxTokens: 50 } }, { name: 'Ada' });
    expect(ai.step.output).toMatchObject({ text: 'echo: Hi Ada', model: 'gpt-test', finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 7, totalTokens: 18 } });
    expect(fakes.calls.findLast((c) => c.service === 'openai')!.body).toMatchObject({ model: 'gpt-test', temperature: 0.1, max_tokens: 50, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'Hi Ada' }] });
    const asJson = await runNode({ type: 'llm_completion', config: { apiKey: 'sk-good', model: 'gpt-test', prompt: 'x', json: true } });
    expect((asJson.step.output as { json: unknown }).json).toEqual({ echo: 'x' });
    const gem = await runNode({ type: 'llm_completion', config: { provider: 'gemini', apiKey: 'gk-good', model: 'gemini-2.0-flash', prompt: 'Hello' } });
    expect(gem.step.output).toMatchObject({ text: 'gemini: Hello', usage: { totalTokens: 9 } });
    expect(fakes.calls.findLast((c) => c.service === 'gemini')!.path).toBe('/gemini/v1beta/models/gemini-2.0-flash:generateContent');
    const badKey = await runNode({ type: 'llm_completion', config: { apiKey: 'sk-bad', model: 'm', prompt: 'x' } });
    expect(badKey.step.error).toMatchObject({ code: 'http_error', retryable: false });
    const { rows } = await p.db.pool.query(
      `SELECT kind, quantity::int AS q, data->>'model' AS model, data->>'nodeType' AS node_type FROM usage_events WHERE run_id = ANY($1::uuid[]) AND kind LIKE 'llm_tokens%' ORDER BY array_position($1::uuid[], run_id), kind`,
      [[ai.run.id, gem.run.id]],
    );
    expect(rows.map((r) => [r.kind, r.q, r.model, r.node_type])).toEqual([
      ['llm_tokens_in', 11, 'gpt-test', 'llm_completion'], ['llm_tokens_out', 7, 'gpt-test', 'llm_completion'],
      ['llm_tokens_in', 5, 'gemini-2.0-flash', 'llm_completion'], ['llm_tokens_out', 4, 'gemini-2.0-flash', 'llm_completion'],
    ]);
    // Each step also meters its execution time and its outgoing HTTP bytes, in the same statement.
    const { rows: others } = await p.db.pool.query(`SELECT kind, count(*)::int AS n FROM usage_events WHERE run_id = $1 AND kind IN ('run', 'step_ms', 'http_bytes') GROUP BY kind ORDER BY kind`, [ai.run.id]);
    expect(others).toEqual([{ kind: 'http_bytes', n: 1 }, { kind: 'run', n: 1 }, { kind: 'step_ms', n: 1 }]);
  });

  it('sends an email over SMTP to a local SMTP server', async () => {
    const received: { from: string; to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString())).on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const ok = await runNode({ type: 'send_email', config: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'bot@weft.test', to: '{{ input.to }}', subject: 'Hi {{ input.name }}', text: 'Welcome, {{ input.name }}.' } }, { to: 'ada@example.com', name: 'Ada' });
      expect(ok.run.status).toBe('succeeded');
      expect(ok.step.output).toMatchObject({ accepted: ['ada@example.com'], rejected: [] });
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['ada@example.com']);
      expect(received[0]!.data).toContain('Subject: Hi Ada');
      expect(received[0]!.data).toContain('Welcome, Ada.');
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });

  it('signs outgoing webhooks per Standard Webhooks, with a webhook-id stable across retries', async () => {
    const key = randomBytes(24);
    const secret = `whsec_${key.toString('base64')}`;
    const seen: { id: string; verified: boolean }[] = [];
    let attempts = 0;
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c)).on('end', () => {
        const id = String(req.headers['webhook-id']);
        const ts = String(req.headers['webhook-timestamp']);
        const expected = createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest();
        const given = Buffer.from(String(req.headers['webhook-signature']).replace(/^v1,/, ''), 'base64');
        const fresh = Math.abs(Date.now() / 1000 - Number(ts)) < 300;
        seen.push({ id, verified: fresh && given.length === expected.length && timingSafeEqual(given, expected) });
        attempts++;
        res.writeHead(attempts === 1 ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const { run, step } = await runNode({
        type: 'webhook_out',
        config: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret, payload: { event: 'order.paid', id: '{{ input.id }}' }, retry: { maxAttempts: 3, initialDelayMs: 10 } },
      }, { id: 'o-1' });
      expect(run.status).toBe('succeeded');
      expect(seen).toHaveLength(2);
      expect(seen.every((s) => s.verified)).toBe(true);
      expect(seen[0]!.id).toBe(seen[1]!.id);
      expect(step.output).toMatchObject({ status: 200, webhookId: seen[0]!.id });
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });

  it('rejects incomplete integration configs at publish with the field path', async () => {
    const r = await p.client.validate({
      nodes: [{ id: 't', type: 'trigger' }, { id: 's', type: 'slack_message', config: { token: 'x', text: 'hi' } }, { id: 'l', type: 'llm_completion', config: { apiKey: 'k', model: 'm' } }],
      edges: [{ source: 't', target: 's' }, { source: 's', target: 'l' }],
    });
    expect(r.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'nodes[1].config.channel', nodeId: 's' }),
      expect.objectContaining({ path: 'nodes[2].config.prompt', nodeId: 'l' }),
    ]));
  });
});
