import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from './analyze';
import { bindConnections, connectionMappingIssues, connectionUses, providerOfKind } from './connection-slots';

const definition = {
  nodes: [
    { id: 't', type: 'trigger', config: {} },
    { id: 'sheet', type: 'google_sheets_append', config: { connection: 'SHEETS', spreadsheetId: 's', range: 'A:B', values: [[1]] } },
    { id: 'loop', type: 'for_each', config: { items: 'input.items', body: { nodes: [{ id: 'say', type: 'slack_message', config: { connection: 'TEAM_SLACK', channel: '#ops', text: 'x' } }], edges: [] } } },
    { id: 'llm', type: 'llm_completion', config: { apiKey: '{{ secrets.OPENAI }}', model: 'm', prompt: 'p' } },
  ],
  edges: [],
};

describe('connection slots of templates', () => {
  it('makes each connection a node names a slot requiring a connection of that node provider', () => {
    expect(connectionUses(definition)).toEqual([
      { nodeId: 'sheet', name: 'SHEETS', provider: 'google' },
      { nodeId: 'say', name: 'TEAM_SLACK', provider: 'slack' },
    ]);
    const a = analyzeTemplate(definition, { SHEETS: { description: 'The sheet owner' }, OPENAI: { description: 'OpenAI key' } });
    expect(a.errors).toEqual([]);
    expect(a.credentials).toEqual([
      { name: 'OPENAI', description: 'OpenAI key', kind: 'secret' },
      { name: 'SHEETS', description: 'The sheet owner', kind: 'oauth2:google' },
      { name: 'TEAM_SLACK', description: '', kind: 'oauth2:slack' },
    ]);
    expect(a.warnings).toContainEqual(expect.objectContaining({ path: 'credentials.TEAM_SLACK.description', code: 'missing_description' }));
    expect(providerOfKind('oauth2:slack')).toBe('slack');
    expect(providerOfKind('secret')).toBeUndefined();
  });

  it("binds each slot to the installer's connection, inside loop bodies too", () => {
    const bound = bindConnections(definition, { SHEETS: 'my-google', TEAM_SLACK: 'acme-slack' }) as typeof definition;
    expect(connectionUses(bound).map((u) => u.name)).toEqual(['my-google', 'acme-slack']);
    expect(definition.nodes[1]!.config.connection).toBe('SHEETS');
  });

  it('names the slot of an unmapped, unknown or wrong-provider connection', () => {
    const slots = [{ name: 'SHEETS', provider: 'google' as const }, { name: 'TEAM_SLACK', provider: 'slack' as const }, { name: 'OTHER', provider: 'slack' as const }];
    const providers: Record<string, 'google' | 'slack'> = { 'my-google': 'google', 'also-google': 'google' };
    const issues = connectionMappingIssues(slots, { SHEETS: 'my-google', TEAM_SLACK: 'also-google' }, (n) => providers[n]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['credentials.TEAM_SLACK', 'connection_provider_mismatch'],
      ['credentials.OTHER', 'unmapped_credential'],
    ]);
    expect(connectionMappingIssues(slots.slice(0, 1), { SHEETS: 'gone' }, () => undefined)[0]).toMatchObject({ code: 'connection_not_found' });
  });
});
