import type { Connection, ConnectionProvider } from '@weft/workflow-schema';
import { sessionFetch } from '@weft/ui/session';

/** The org's OAuth connections through the dashboard's `/api/weft` proxy (metadata only: tokens never reach the browser). */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await sessionFetch(`/api/weft${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = data as { title?: string; detail?: string } | undefined;
    throw new Error(p?.detail ? `${p.title ?? 'Error'}: ${p.detail}` : (p?.title ?? `HTTP ${res.status}`));
  }
  return data as T;
}

export interface NewConnection {
  provider: ConnectionProvider;
  name: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export const listConnections = () => call<{ items: Connection[] }>('GET', '/v1/connections').then((r) => r.items);
export const createConnection = (body: NewConnection) => call<Connection>('POST', '/v1/connections', body);
export const deleteConnection = (id: string) => call<null>('DELETE', `/v1/connections/${id}`);

/** Sends the browser to the provider's consent page; the callback brings it back to this page. */
export async function startConnecting(id: string): Promise<void> {
  const returnTo = `${window.location.origin}/connections`;
  const { authorizeUrl } = await call<{ authorizeUrl: string }>('GET', `/v1/connections/${id}/authorize?returnTo=${encodeURIComponent(returnTo)}`);
  window.location.assign(authorizeUrl);
}

/** Default scopes offered for each provider (editable). */
export const DEFAULT_SCOPES: Record<ConnectionProvider, string> = {
  google: 'https://www.googleapis.com/auth/spreadsheets',
  slack: 'chat:write',
  generic: '',
};
