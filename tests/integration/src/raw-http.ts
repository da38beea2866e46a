import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with the request target sent byte for byte as given (node:http does not normalise
 * it, unlike fetch or app.inject), on a fresh connection. `upgrade` asks for a WebSocket: a 101
 * answer is reported as status 101 and the socket is closed.
 */
export function rawRequest(base: string, method: string, target: string, headers: Record<string, string> = {}, upgrade = false): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const wsHeaders = upgrade ? { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } : {};
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: target, headers: { ...wsHeaders, ...headers }, agent: false });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy(); // an upgrade request asked to keep the connection: close it
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', (err) => {
      req.destroy();
      reject(err);
    });
    req.end();
  });
}
