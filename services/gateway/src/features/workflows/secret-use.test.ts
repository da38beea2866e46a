import { describe, expect, it } from 'vitest';
import { secretUseRefusal } from './secret-use';

const withSecret = (template: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    {
      id: 'each',
      type: 'for_each',
      config: {
        items: 'input.items',
        body: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'send', type: 'http_request', config: { method: 'POST', url: 'https://example.test', headers: { authorization: template } } }], edges: [{ source: 'trigger', target: 'send' }] },
      },
    },
  ],
  edges: [{ source: 'trigger', target: 'each' }],
});

describe('Publishing a workflow that reads secrets needs secrets:use', () => {
  it('refuses an operator, a viewer and an unknown role a definition that reads a secret, even deep in a for_each body', () => {
    for (const role of ['operator', 'viewer', 'constructor']) {
      const refusal = secretUseRefusal(role, withSecret('Bearer {{ secrets.API_TOKEN }}'));
      expect(refusal?.code).toBe('forbidden');
      expect(refusal?.message).toContain('secrets:use');
      expect(refusal?.message).toContain('API_TOKEN');
    }
  });

  it('refuses reshaped uses of secrets too, not only the bare secrets.NAME', () => {
    expect(secretUseRefusal('operator', withSecret('{{ to_string(secrets) }}'))?.code).toBe('forbidden');
  });

  it('lets an editor publish it, and anyone a definition without secrets', () => {
    expect(secretUseRefusal('editor', withSecret('Bearer {{ secrets.API_TOKEN }}'))).toBeUndefined();
    expect(secretUseRefusal('operator', withSecret('Bearer {{ input.token }}'))).toBeUndefined();
  });
});
