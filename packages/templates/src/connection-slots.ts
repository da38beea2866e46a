import { CONNECTION_NODE_PROVIDERS, CONNECTION_PROVIDERS, type ConnectionProvider, type Issue } from '@weft/workflow-schema';
import { templateNodes } from './nodes';

/** The kind of a credential slot that requires a connection of `provider` (e.g. `oauth2:google`). */
export const connectionKind = (provider: ConnectionProvider) => `oauth2:${provider}`;

/** The provider a slot kind requires, when it is a connection slot. */
export function providerOfKind(kind: string): ConnectionProvider | undefined {
  const p = kind.startsWith('oauth2:') ? kind.slice('oauth2:'.length) : undefined;
  return (CONNECTION_PROVIDERS as readonly string[]).includes(p ?? '') ? (p as ConnectionProvider) : undefined;
}

/** One node's use of a connection: its `connection` name and the provider its type requires. */
export interface ConnectionUse {
  nodeId: string;
  name: string;
  provider: ConnectionProvider;
}

/** Every `connection` a definition's nodes name (for_each bodies included). */
export function connectionUses(definition: unknown): ConnectionUse[] {
  return templateNodes(definition).flatMap((n) => {
    const provider = Object.hasOwn(CONNECTION_NODE_PROVIDERS, n.type) ? CONNECTION_NODE_PROVIDERS[n.type] : undefined;
    return provider && typeof n.config.connection === 'string' ? [{ nodeId: n.id, name: n.config.connection, provider }] : [];
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of the definition where each node's `connection` SLOT reads the installer's connection. */
export function bindConnections(definition: unknown, mapping: Readonly<Record<string, string>>): unknown {
  const graph = (g: unknown): unknown => {
    if (!isRecord(g) || !Array.isArray(g.nodes)) return g;
    return {
      ...g,
      nodes: g.nodes.map((n: unknown) => {
        if (!isRecord(n) || !isRecord(n.config)) return n;
        const config = { ...n.config };
        if (typeof n.type === 'string' && Object.hasOwn(CONNECTION_NODE_PROVIDERS, n.type) && typeof config.connection === 'string' && Object.hasOwn(mapping, config.connection)) {
          config.connection = mapping[config.connection];
        }
        if (isRecord(config.body)) config.body = graph(config.body);
        return { ...n, config };
      }),
    };
  };
  return graph(definition);
}

/**
 * The problems of an installer's mapping for the connection slots: each mapped
 * (`credentials.SLOT`) to a connection of the org (`exists`) of the provider the slot requires.
 */
export function connectionMappingIssues(slots: readonly { name: string; provider: ConnectionProvider }[], mapping: Readonly<Record<string, string>>, providerOf: (connection: string) => ConnectionProvider | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const slot of slots) {
    const name = mapping[slot.name];
    const provider = name === undefined ? undefined : providerOf(name);
    if (name === undefined) issues.push({ path: `credentials.${slot.name}`, code: 'unmapped_credential', message: `map the credential slot ${slot.name} to one of your ${slot.provider} connections` });
    else if (!provider) issues.push({ path: `credentials.${slot.name}`, code: 'connection_not_found', message: `your org has no connection named ${name}` });
    else if (provider !== slot.provider) issues.push({ path: `credentials.${slot.name}`, code: 'connection_provider_mismatch', message: `connection ${name} is a ${provider} connection; slot ${slot.name} needs a ${slot.provider} one` });
  }
  return issues;
}
