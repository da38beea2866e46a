import type { Pool } from 'pg';

/** A browser's session as a test holds it: the cookie header to send and the CSRF token of GET /v1/me. */
export interface TestSession {
  cookie: string;
  csrf: string;
}

/** The `name=value` of each Set-Cookie of an answer, and the raw lines. */
export function setCookies(r: Response): { pairs: Map<string, string>; lines: string[] } {
  const lines = r.headers.getSetCookie();
  const pairs = new Map(lines.map((l) => {
    const [pair] = l.split(';');
    const at = pair!.indexOf('=');
    return [pair!.slice(0, at), pair!.slice(at + 1)] as const;
  }));
  return { pairs, lines };
}

/** The token of the newest sign-in link the development mailbox holds for `email`. */
export async function latestLinkToken(pool: Pool, email: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ text: string }>(`SELECT text FROM dev_mailbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1`, [email]);
  return rows[0]?.text.match(/[?&]token=([\w-]+)/)?.[1];
}

/** How many messages the development mailbox holds for `email`. */
export async function mailCount(pool: Pool, email: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dev_mailbox WHERE to_address = $1`, [email]);
  return rows[0]!.n;
}

/** GET of a URL without following redirects, with an optional cookie header. */
export const getManual = (url: string, cookie?: string) => fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** Signs in by magic link (request, read the mailbox, open the link) and returns the session with its CSRF token. */
export async function signInByMagicLink(base: string, pool: Pool, email: string, previous?: TestSession): Promise<TestSession> {
  const asked = await fetch(`${base}/v1/auth/magic-link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  if (asked.status !== 202) throw new Error(`magic link request answered ${asked.status}: ${await asked.text()}`);
  const token = await latestLinkToken(pool, email.toLowerCase());
  const r = await getManual(`${base}/v1/auth/magic-link/verify?token=${token}`, previous?.cookie);
  const value = setCookies(r).pairs.get('weft_session');
  if (r.status !== 303 || !value) throw new Error(`the link did not sign in: ${r.status} ${r.headers.get('location')}`);
  const cookie = `weft_session=${value}`;
  const me = await fetch(`${base}/v1/me`, { headers: { cookie } });
  const body = (await me.json()) as { session?: { csrfToken: string } };
  return { cookie, csrf: body.session!.csrfToken };
}

/** A JSON call with a session cookie (and its CSRF token unless `csrf: false`); extra headers win. */
export async function callWithSession(base: string, s: TestSession, method: string, url: string, body?: unknown, opts: { csrf?: boolean | string; headers?: Record<string, string> } = {}) {
  const csrf = opts.csrf === false ? undefined : typeof opts.csrf === 'string' ? opts.csrf : s.csrf;
  const r = await fetch(`${base}${url}`, {
    method,
    redirect: 'manual',
    headers: {
      cookie: s.cookie,
      ...(csrf ? { 'x-weft-csrf': csrf } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, body: (text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as any, response: r };
}

/** Calls as a signed-in user, in `org` (a slug or id, sent as Weft-Org) when given: `sessionCaller(base, s, org).call(method, url, body?)`. */
export const sessionCaller = (base: string, s: TestSession, org?: string) => ({
  call: (method: string, url: string, body?: unknown) => callWithSession(base, s, method, url, body, org ? { headers: { 'weft-org': org } } : {}),
});
