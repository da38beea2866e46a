import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { expressionSecretUses, referencedSecretNames } from './secrets';

const wf = (node: Record<string, unknown>, settings?: Record<string, unknown>) => ({
  nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'n', ...node }],
  edges: [{ source: 't', target: 'n' }],
  ...(settings ? { settings } : {}),
});

describe('secret references', () => {
  it('finds the names a config reads as secrets.NAME, and nothing else', () => {
    const config = {
      url: 'https://api.example.com/{{ input.id }}?key={{ secrets.API_KEY }}',
      headers: { authorization: 'Bearer {{ secrets.TOKEN }}', 'x-both': "{{ join(',', [secrets.A, secrets.\"B_2\"]) }}" },
      body: { nested: ['{{ secrets.TOKEN.part }}', "{{ 'secrets.NOT_READ' }}", '{{ input.items[?name == secrets.NOT_ROOT] }}'] },
    };
    expect(referencedSecretNames(config)).toEqual(['A', 'API_KEY', 'B_2', 'TOKEN']);
  });

  it('flags uses of secrets that name no secret or an impossible name', () => {
    expect(expressionSecretUses('secrets')).toEqual([{ problem: expect.stringContaining('secrets.NAME') }]);
    expect(expressionSecretUses('secrets.*')[0]?.problem).toBeDefined();
    expect(expressionSecretUses('let $s = secrets in $s.A')[0]?.problem).toBeDefined();
    expect(expressionSecretUses('secrets.lower')[0]).toMatchObject({ name: 'lower', problem: expect.stringContaining('not a valid secret name') });
  });
});

describe('publishing a workflow that uses secrets', () => {
  it('accepts {{ secrets.NAME }} in http_request templates', () => {
    const r = compile(wf({ type: 'http_request', config: { method: 'POST', url: 'https://x.test/{{ secrets.PATH_TOKEN }}', headers: { authorization: 'Bearer {{ secrets.TOKEN }}' }, body: { k: '{{ secrets.TOKEN }}' } } }));
    expect(r.ok).toBe(true);
  });

  it('accepts secrets inside a for_each body http_request', () => {
    const body = { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config: { method: 'GET', url: 'https://x.test/{{ item }}', headers: { k: '{{ secrets.K }}' } } }], edges: [{ source: 's', target: 'h' }] };
    expect(compile(wf({ type: 'for_each', config: { items: 'input.list', body } })).ok).toBe(true);
  });

  it('refuses secrets where they cannot be resolved, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'transform', config: { expression: 'secrets.TOKEN' } }, 'nodes[1].config.expression'],
      [{ type: 'transform', config: { input: '{{ secrets.TOKEN }}', expression: '@' } }, 'nodes[1].config.input'],
      [{ type: 'wait_for_approval', config: { prompt: 'ok {{ secrets.TOKEN }}?' } }, 'nodes[1].config.prompt'],
      [{ type: 'terminate', config: { status: 'failed', message: '{{ secrets.TOKEN }}' } }, 'nodes[1].config.message'],
    ];
    for (const [node, path] of cases) {
      const r = compile(wf(node));
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(r.errors).toContainEqual(expect.objectContaining({ path, code: 'secret_not_allowed', nodeId: 'n' }));
    }
    const out = compile(wf({ type: 'transform', config: { expression: '`1`' } }, { output: 'secrets.TOKEN' }));
    expect(!out.ok && out.errors[0]).toMatchObject({ path: 'settings.output', code: 'secret_not_allowed' });
  });

  it('refuses a bare secrets reference in an http_request', () => {
    const r = compile(wf({ type: 'http_request', config: { method: 'POST', url: 'https://x.test', body: '{{ secrets }}' } }));
    expect(!r.ok && r.errors[0]).toMatchObject({ path: 'nodes[1].config.body', code: 'invalid_secret_reference' });
  });

  it('lets a transform with input read a field called secrets of that input', () => {
    expect(compile(wf({ type: 'transform', config: { input: '{{ input }}', expression: 'secrets.count' } })).ok).toBe(true);
  });
});
