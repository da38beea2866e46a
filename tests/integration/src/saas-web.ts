import type { IncomingMessage, ServerResponse } from 'node:http';

/** The bytes of the "audio file" the web double serves (a WAV header and a little silence). */
export const AUDIO_BYTES = Buffer.concat([Buffer.from('RIFF$\u0000\u0000\u0000WAVEfmt ', 'latin1'), Buffer.alloc(48, 7)]);

/**
 * What the Gemini double "hears" in inline audio: two `[mm:ss]` segments, the second naming the
 * size of the decoded audio, so a test sees that the bytes arrived whole.
 */
export function transcriptOf(base64: string) {
  const bytes = Buffer.from(base64, 'base64').length;
  return [
    { start: '00:00', end: '00:04', text: 'Hello and welcome.' },
    { start: '00:04', end: '00:09', text: `This recording has ${bytes} bytes.` },
  ];
}

const FEED = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Weft blog',
  items: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ id: String(n), title: `Post ${n}`, url: `https://blog.example/${n}`, date_published: `2026-11-0${n}T08:00:00Z` })),
};

const COMPANIES: Record<string, { name: string; employees: number; country: string }> = {
  acme: { name: 'Acme Corp', employees: 120, country: 'US' },
  globex: { name: 'Globex', employees: 4500, country: 'DE' },
  initech: { name: 'Initech', employees: 80, country: 'UK' },
};

const failuresBySource = new Map<string, number>();

function json(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(data));
}

/**
 * Plain web servers a starter reads or writes (all under /web/): `page` (HTML), `status/:code`,
 * `feed.json` (JSON Feed 1.1), `metrics.json`, `companies/:id` (bearer `lookup-good`),
 * `source/:key` (503 for its first two calls, then items), `target` (bearer `target-good`,
 * answers 201), `audio.wav`, `relay` (records; the test checks the signature).
 */
export function routeWeb(path: string, req: IncomingMessage, res: ServerResponse) {
  const rest = path.slice('/web/'.length);
  if (rest === 'page') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><h1>Weft</h1><p>Durable workflows for everyone.</p></body></html>');
  const status = /^status\/(\d{3})$/.exec(rest);
  if (status) return json(res, Number(status[1]), { status: Number(status[1]) });
  if (rest === 'feed.json') return json(res, 200, FEED, { 'content-type': 'application/feed+json' });
  if (rest === 'metrics.json') return json(res, 200, { signups: 12, orders: 7, revenue: 1234.5 });
  const company = /^companies\/([a-z]+)$/.exec(rest);
  if (company) {
    if (req.headers.authorization !== 'Bearer lookup-good') return json(res, 401, { error: 'unauthorized' });
    const c = COMPANIES[company[1]!];
    return c ? json(res, 200, c) : json(res, 404, { error: 'not found' });
  }
  const source = /^source\/([\w-]+)$/.exec(rest);
  if (source) {
    const seen = failuresBySource.get(source[1]!) ?? 0;
    failuresBySource.set(source[1]!, seen + 1);
    if (seen < 2) return json(res, 503, { error: 'try again' }, { 'retry-after': '0' });
    return json(res, 200, { items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: 'three' }] });
  }
  if (rest === 'target') {
    if (req.headers.authorization !== 'Bearer target-good') return json(res, 401, { error: 'unauthorized' });
    return json(res, 201, { imported: true });
  }
  if (rest === 'audio.wav') return res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(AUDIO_BYTES.length) }).end(AUDIO_BYTES);
  if (rest === 'relay') return json(res, 200, { received: true });
  return json(res, 404, { error: 'not found' });
}
