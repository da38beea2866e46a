import type { Platform } from './platform';

/** One JSON request to the platform's gateway over real HTTP: status and parsed body, whatever the status. */
export async function apiCall(p: Platform, method: string, path: string, body?: unknown, key = p.apiKey) {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}
