import { CONNECTION_NODE_PROVIDERS, catalogEntry, nodeTypes, type Connection } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { connectAction, connectionChoices, connectOutcome, returnUrlOf } from './connections';
import { fieldKind, type JSONSchema } from './schema';

const conn = (name: string, provider: Connection['provider'], status: Connection['status'], account = ''): Connection => ({
  id: `id-${name}`, name, provider, clientId: 'c', scopes: [], status, statusReason: null, account, expiresAt: null, connectedAt: null, createdAt: '', updatedAt: '',
});

describe('the connection picker of a node', () => {
  it('offers the org connections of the node provider only, by name, and keeps a name no connection has', () => {
    const all = [conn('z-slack', 'slack', 'connected', 'Acme'), conn('sheets', 'google', 'connected'), conn('a-slack', 'slack', 'pending')];
    expect(connectionChoices(all, 'slack', undefined)).toEqual([
      { name: 'a-slack', id: 'id-a-slack', status: 'pending', account: '' },
      { name: 'z-slack', id: 'id-z-slack', status: 'connected', account: 'Acme' },
    ]);
    expect(connectionChoices(all, 'slack', 'gone').at(-1)).toEqual({ name: 'gone', status: 'missing', account: '' });
    expect(connectionChoices(all, 'google', 'sheets')).toHaveLength(1);
  });

  it('offers Connect for a pending connection, Reconnect for a refused one, nothing otherwise', () => {
    expect(connectAction({ name: 'a', id: '1', status: 'pending', account: '' })).toBe('connect');
    expect(connectAction({ name: 'a', id: '1', status: 'needs_reconnect', account: '' })).toBe('reconnect');
    expect(connectAction({ name: 'a', id: '1', status: 'connected', account: '' })).toBeNull();
    expect(connectAction({ name: 'a', status: 'missing', account: '' })).toBeNull();
    expect(connectAction(undefined)).toBeNull();
  });

  it('comes back to the same page without the outcome of an earlier round trip, and reads the new outcome', () => {
    const back = 'http://localhost:3001/workflows/w1?tab=x&connection=c1&status=error&reason=access_denied';
    expect(returnUrlOf(back)).toBe('http://localhost:3001/workflows/w1?tab=x');
    expect(connectOutcome(back)).toEqual({ connectionId: 'c1', status: 'error', reason: 'access_denied' });
    expect(connectOutcome('http://localhost:3001/workflows/w1')).toBeNull();
  });

  it('applies to the `connection` field of every node type that takes one (a text field in the form)', () => {
    for (const type of Object.keys(CONNECTION_NODE_PROVIDERS)) {
      const schema = catalogEntry(nodeTypes[type as keyof typeof nodeTypes]).configSchema as JSONSchema;
      expect(fieldKind(schema.properties!.connection!), type).toBe('text');
    }
  });
});
