import { describe, expect, it } from 'vitest';
import { compile } from './compile';

const loop = {
  id: 'each',
  type: 'for_each',
  config: { items: 'input.rows', body: { nodes: [{ id: 'inner', type: 'trigger', config: {} }], edges: [] } },
};
const definition = (pii: unknown) => ({
  nodes: [{ id: 't', type: 'trigger', config: {} }, loop],
  edges: [{ source: 't', target: 'each' }],
  settings: { pii },
});

describe('settings.pii', () => {
  it('accepts kinds, and per-node settings naming nodes of the workflow, for_each bodies included', () => {
    const r = compile(definition({ redact: ['email', 'card'], nodes: { each: { redact: false }, inner: { redact: ['iban'] } } }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.graph.settings.pii).toEqual({ redact: ['email', 'card'], nodes: { each: { redact: false }, inner: { redact: ['iban'] } } });
  });

  it('refuses an unknown kind and a node that does not exist, at their paths', () => {
    const r = compile(definition({ redact: ['passport'], nodes: { fetch: { redact: ['email'] } } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => [e.path, e.code])).toEqual([['settings.pii.redact[0]', 'invalid_config']]);
    const unknownNode = compile(definition({ nodes: { fetch: { redact: ['email'] } } }));
    expect(unknownNode.ok || unknownNode.errors.map((e) => [e.path, e.code])).toEqual([['settings.pii.nodes.fetch', 'unknown_node']]);
  });
});
