import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

/**
 * A loopback server that speaks GitHub's OAuth web flow and the two REST endpoints a sign-in
 * reads, with GitHub's documented shapes: `GET /login/oauth/authorize` (the consent page: here it
 * approves at once for the user picked by `login_hint`, redirecting to `redirect_uri?code&state`),
 * `POST /login/oauth/access_token` (client id + secret by HTTP Basic or form fields; a bad code is
 * a 200 `{ error: "bad_verification_code" }` as on GitHub), `GET /user`, `GET /user/emails`.
 */
export async function startFakeGitHub(clientId: string, clientSecret: string) {
  const users = new Map<string, FakeGitHubUser>();
  const codes = new Map<string, string>();
  const tokens = new Map<string, string>();
  const tokenRequests: { clientId: string | undefined; code: string | undefined; redirectUri: string | undefined }[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const login = url.searchParams.get('login_hint') ?? '';
      if (url.searchParams.get('client_id') !== clientId || !users.has(login)) return json(404, { error: 'unknown client or user' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, login);
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = new URLSearchParams(body);
      const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':') : [];
      const id = basic[0] ?? form.get('client_id') ?? undefined;
      const secret = basic[1] ?? form.get('client_secret') ?? undefined;
      tokenRequests.push({ clientId: id, code: form.get('code') ?? undefined, redirectUri: form.get('redirect_uri') ?? undefined });
      if (id !== clientId || secret !== clientSecret) return json(200, { error: 'incorrect_client_credentials' });
      const login = codes.get(form.get('code') ?? '');
      if (!login) return json(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      codes.delete(form.get('code')!);
      const token = `gho_${randomBytes(16).toString('hex')}`;
      tokens.set(token, login);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const login = tokens.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    const user = login ? users.get(login) : undefined;
    if (!user) return json(401, { message: 'Bad credentials' });
    if (req.method === 'GET' && url.pathname === '/user') return json(200, { id: user.id, login: user.login, name: user.name });
    if (req.method === 'GET' && url.pathname === '/user/emails') return json(200, user.emails.map((e) => ({ ...e, visibility: e.primary ? 'private' : null })));
    return json(404, { message: 'Not Found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenRequests,
    addUser: (u: FakeGitHubUser) => users.set(u.login, u),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
