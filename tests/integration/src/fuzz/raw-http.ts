import { connect } from 'node:net';
import type { Answer } from './requests';

/**
 * Writes exact bytes to the server on a fresh connection and reads the one answer (the request should say
 * `Connection: close`). Write errors are ignored: a server that refuses a 10 MB body may answer and close
 * before the client has sent it all, and the answer is what is judged.
 */
export function rawExchange(url: string, bytes: Buffer | Buffer[]): Promise<Answer & { headers: Record<string, string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {}); // EPIPE / ECONNRESET after the answer: judged on what arrived
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err as Error);
      }
    });
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer in 30 s')));
    socket.on('connect', () => {
      for (const b of [bytes].flat()) if (!socket.destroyed) socket.write(b);
    });
  });
}

function parseResponse(raw: Buffer) {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP answer: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status, headers, contentType: headers['content-type'] ?? '', text: body.toString('utf8') };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; ) {
    const eol = b.indexOf('\r\n', i);
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** An HTTP/1.1 request as bytes, with Content-Length computed unless `headers` set Transfer-Encoding. */
export function httpRequest(method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Buffer {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all = { host: 'localhost', connection: 'close', ...(body !== undefined && !headers['transfer-encoding'] ? { 'content-length': String(payload.length) } : {}), ...headers };
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}
