import type { Connection, ConnectionProvider } from '@weft/workflow-schema';
import { api } from './api';

/** One choice of a node's `connection` field. */
export interface ConnectionChoice {
  name: string;
  /** The connection's id (none for a name the node holds that no connection has). */
  id?: string;
  status: Connection['status'] | 'missing';
  account: string;
}

/**
 * The choices of a node's `connection` field: the org's connections of the node's provider, by name,
 * and the name the node holds when no such connection exists (so it is not silently dropped).
 */
export function connectionChoices(all: readonly Connection[], provider: ConnectionProvider, current: string | undefined): ConnectionChoice[] {
  const mine = all.filter((c) => c.provider === provider).sort((a, b) => a.name.localeCompare(b.name));
  const choices: ConnectionChoice[] = mine.map((c) => ({ name: c.name, id: c.id, status: c.status, account: c.account }));
  if (current && !mine.some((c) => c.name === current)) choices.push({ name: current, status: 'missing', account: '' });
  return choices;
}

/** What the button next to a chosen connection offers: connect it (never connected), reconnect it (refused refresh), or nothing. */
export function connectAction(choice: ConnectionChoice | undefined): 'connect' | 'reconnect' | null {
  if (!choice?.id) return null;
  if (choice.status === 'pending') return 'connect';
  if (choice.status === 'needs_reconnect') return 'reconnect';
  return null;
}

/** Where the provider's callback sends the browser back: this page, without the outcome parameters of an earlier round trip. */
export function returnUrlOf(href: string): string {
  const url = new URL(href);
  for (const p of ['connection', 'status', 'reason']) url.searchParams.delete(p);
  return url.toString();
}

/** The outcome the callback put on this page's URL (`?connection=<id>&status=connected|error&reason=`), if any. */
export function connectOutcome(href: string): { connectionId: string; status: string; reason: string | null } | null {
  const q = new URL(href).searchParams;
  const connectionId = q.get('connection');
  const status = q.get('status');
  return connectionId && status ? { connectionId, status, reason: q.get('reason') } : null;
}

/** The org's connections (metadata only: tokens never reach the browser). */
export const listConnections = () => api.call<{ items: Connection[] }>('GET', '/v1/connections').then((r) => r.items);

/** The provider's consent page for a connection, coming back to `returnTo` (a URL of the studio). */
export const authorizeUrl = (id: string, returnTo: string) =>
  api.call<{ authorizeUrl: string }>('GET', `/v1/connections/${encodeURIComponent(id)}/authorize?returnTo=${encodeURIComponent(returnTo)}`).then((r) => r.authorizeUrl);
