import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeWeb, transcriptOf } from './saas-web';

export interface FakeCall {
  service: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * One loopback server answering like the SaaS APIs the integration nodes call, on the same
 * paths, with their documented success and error shapes:
 * - Slack Web API `POST /slack/api/chat.postMessage` (200 `{ok:false,error}` on failure, 429 + Retry-After)
 *   and incoming webhooks `POST /slack/hooks/...` (text `ok`; 404 `no_service`)
 * - Google Sheets `POST /sheets/v4/spreadsheets/:id/values/:range:append` (401 `{error:{code,message,status}}`)
 * - OpenAI `POST /openai/v1/chat/completions` (JSON mode answers the next of `openaiJson` when one is queued)
 *   and Gemini `POST /gemini/v1beta/models/:model:generateContent` (with inline audio: `[mm:ss]` segments as JSON)
 * - plain web servers under `/web/` (saas-web.ts): pages, a JSON Feed, metrics, a lookup API, a
 *   flaky source, a target, an audio file, status codes
 */
export async function startSaasFakes(opts: { acceptToken?: (service: 'slack' | 'sheets', token: string) => boolean } = {}) {
  const calls: FakeCall[] = [];
  const accepts = (service: 'slack' | 'sheets', auth: string, fixed: string) => auth === `Bearer ${fixed}` || (auth.startsWith('Bearer ') && !!opts.acceptToken?.(service, auth.slice(7)));
  const openaiJson: unknown[] = [];
  const server = createServer(async (req, res) => {
    const raw = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    const path = (req.url ?? '').split('?')[0]!;
    const service = path.split('/')[1]!;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    calls.push({ service, path: req.url ?? '', headers: req.headers, body });
    if (service === 'web') return routeWeb(path, req, res);
    if (service === 'openai' && openaiJson.length && (body as { response_format?: { type?: string } })?.response_format?.type === 'json_object' && req.headers.authorization === 'Bearer sk-good') {
      return json(res, 200, { id: 'chatcmpl-2', object: 'chat.completion', model: (body as { model?: string }).model, choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(openaiJson.shift()) }, finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } });
    }
    route(service, path, req, res, body as Record<string, unknown> | undefined, accepts);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    calls,
    /** JSON answers the OpenAI double gives, in order, to JSON-mode completions (then it echoes again). */
    openaiJson,
    base,
    urls: { slack: `${base}/slack/api`, googleSheets: `${base}/sheets`, openai: `${base}/openai/v1`, gemini: `${base}/gemini` },
    slackWebhook: (ok: boolean) => `${base}/slack/hooks/${ok ? 'T000/B000/good' : 'T000/B000/revoked'}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function json(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(data));
}

/** Whether `auth` is the fixed good token of a service, or one the test's token source (an OAuth double) says is live. */
type Accepts = (service: 'slack' | 'sheets', auth: string, fixed: string) => boolean;

function route(service: string, path: string, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown> | undefined, accepts: Accepts) {
  const auth = req.headers.authorization ?? '';
  if (service === 'slack' && path.startsWith('/slack/hooks/')) {
    if (path.endsWith('/revoked')) return res.writeHead(404, { 'content-type': 'text/html' }).end('no_service');
    if (!body?.text) return res.writeHead(400, { 'content-type': 'text/html' }).end('invalid_payload');
    return res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
  }
  if (service === 'slack' && path === '/slack/api/chat.postMessage') {
    if (!accepts('slack', auth, 'xoxb-good')) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (body?.channel === '#busy') return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    if (body?.channel === '#nowhere') return json(res, 200, { ok: false, error: 'channel_not_found' });
    return json(res, 200, { ok: true, channel: 'C123', ts: '1700000000.000100', message: { text: body?.text } });
  }
  if (service === 'sheets') {
    const m = /^\/sheets\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+):append$/.exec(path);
    if (!m) return json(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    if (!accepts('sheets', auth, 'ya29.good')) return json(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
    const rows = (body?.values as unknown[][]) ?? [];
    const range = decodeURIComponent(m[2]!);
    const last = String.fromCharCode(64 + Math.max(1, ...rows.map((r) => r.length)));
    return json(res, 200, {
      spreadsheetId: m[1],
      tableRange: `${range.split('!')[0]}!A1:${last}1`,
      updates: { spreadsheetId: m[1], updatedRange: `${range.split('!')[0]}!A2:${last}${1 + rows.length}`, updatedRows: rows.length, updatedColumns: rows[0]?.length ?? 0, updatedCells: rows.flat().length },
    });
  }
  if (service === 'openai' && path === '/openai/v1/chat/completions') {
    if (auth !== 'Bearer sk-good') return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const messages = (body?.messages as { content: string }[]) ?? [];
    const asJson = (body?.response_format as { type?: string } | undefined)?.type === 'json_object';
    const content = asJson ? JSON.stringify({ echo: messages.at(-1)?.content }) : `echo: ${messages.at(-1)?.content}`;
    return json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', model: body?.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } });
  }
  if (service === 'gemini' && /^\/gemini\/v1beta\/models\/[^/]+:generateContent$/.test(path)) {
    if (req.headers['x-goog-api-key'] !== 'gk-good') return json(res, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } });
    const contents = (body?.contents as { parts: { text?: string; inline_data?: { mime_type: string; data: string } }[] }[]) ?? [];
    const audio = contents.at(-1)?.parts.find((p) => p.inline_data?.mime_type.startsWith('audio/'))?.inline_data;
    if (audio) return json(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(transcriptOf(audio.data)) }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 250, candidatesTokenCount: 40, totalTokenCount: 290 } });
    return json(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: `gemini: ${contents.at(-1)?.parts[0]?.text}` }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 4, totalTokenCount: 9 } });
  }
  json(res, 404, { error: 'not found' });
}
