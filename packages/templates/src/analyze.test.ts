import { describe, expect, it } from 'vitest';
import { analyzeTemplate, literalHost } from './analyze';

const def = {
  nodes: [
    { id: 'start', type: 'trigger', config: {} },
    { id: 'fetch', type: 'http_request', config: { method: 'GET', url: 'https://API.example.com/items/{{ input.id }}', headers: { authorization: 'Bearer {{ secrets.API_TOKEN }}' } } },
    { id: 'dyn', type: 'http_request', config: { method: 'GET', url: '{{ input.url }}' } },
    { id: 'notify', type: 'slack_message', config: { token: '{{ secrets.SLACK_TOKEN }}', channel: '#ops', text: 'done' } },
  ],
  edges: [],
};

describe('Pre-publish analysis', () => {
  it('turns every secret the workflow reads into a credential slot, with the creator description', () => {
    const a = analyzeTemplate(def, { API_TOKEN: { description: 'Example API token', kind: 'api_key' }, SLACK_TOKEN: { description: 'Slack bot token', kind: 'slack_bot_token' } });
    expect(a.errors).toEqual([]);
    expect(a.credentials).toEqual([
      { name: 'API_TOKEN', description: 'Example API token', kind: 'api_key' },
      { name: 'SLACK_TOKEN', description: 'Slack bot token', kind: 'slack_bot_token' },
    ]);
  });

  it('lists the literal outbound domains and the integrations, and warns about a computed host', () => {
    const a = analyzeTemplate(def, {});
    expect(a.domains).toEqual(['api.example.com']);
    expect(a.integrations).toEqual(['slack_message']);
    expect(a.warnings).toContainEqual(expect.objectContaining({ nodeId: 'dyn', path: 'config.url', code: 'dynamic_domain' }));
  });

  it('warns about undescribed secrets and missing descriptions, and refuses a described slot the workflow never reads', () => {
    const a = analyzeTemplate(def, { API_TOKEN: { kind: 'api_key' }, OTHER: { description: 'x' } });
    expect(a.warnings).toContainEqual(expect.objectContaining({ path: 'credentials.API_TOKEN.description', code: 'missing_description' }));
    expect(a.warnings).toContainEqual(expect.objectContaining({ path: 'credentials.SLACK_TOKEN', code: 'undescribed_secret' }));
    expect(a.errors).toEqual([expect.objectContaining({ path: 'body.credentials.OTHER', code: 'unused_credential' })]);
  });

  it("refuses references to the creator's own workflows", () => {
    const a = analyzeTemplate({ nodes: [{ id: 'child', type: 'sub_workflow', config: { workflowId: 'x', input: {} } }], edges: [], settings: { errorWorkflowId: 'y' } });
    expect(a.errors.map((e) => e.path)).toEqual(['config.workflowId', 'settings.errorWorkflowId']);
  });

  it('reads the host only when scheme and host are literal', () => {
    expect(literalHost('https://hooks.example.org:8443/x')).toBe('hooks.example.org');
    expect(literalHost('http://127.0.0.1')).toBe('127.0.0.1');
    expect(literalHost('https://{{ input.host }}/x')).toBeUndefined();
    expect(literalHost('{{ input.url }}')).toBeUndefined();
  });
});
