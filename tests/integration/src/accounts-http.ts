/** A JSON call to the gateway with an API key: status, content type and parsed body. */
export async function callAs(base: string, key: string, method: string, url: string, body?: unknown) {
  const r = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : null) as any };
}

/** Creates a key of `role` through POST /v1/api-keys with `creator`, and returns the new key. */
export async function mintKey(base: string, creator: string, role: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await callAs(base, creator, 'POST', '/v1/api-keys', { name: `${role} key`, role, ...extra });
  if (r.status !== 201) throw new Error(`could not create a ${role} key: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.key as string;
}
