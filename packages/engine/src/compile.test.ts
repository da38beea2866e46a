import type { Issue } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { evaluatePureNode } from './pure';

type NodeDef = { id: string; type: string; config?: Record<string, unknown> };
type EdgeDef = { source: string; target: string; sourceHandle?: string };

const trigger: NodeDef = { id: 't', type: 'trigger', config: {} };
const transform = (id: string, expression = '@'): NodeDef => ({ id, type: 'transform', config: { expression } });
const edge = (source: string, target: string, sourceHandle?: string): EdgeDef =>
  sourceHandle === undefined ? { source, target } : { source, target, sourceHandle };

/** The errors of a definition that must not compile. */
function errorsOf(definition: unknown): Issue[] {
  const r = compile(definition);
  if (r.ok) throw new Error('expected the definition to be rejected');
  return r.errors;
}

describe('compile accepts valid definitions', () => {
  it('compiles the contract example into a graph with maps, a trigger and a topological order', () => {
    const r = compile({
      nodes: [
        { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object' } }, position: { x: 0, y: 0 } },
        { id: 'fetch', type: 'http_request', config: { method: 'GET', url: '{{ input.url }}' } },
        { id: 'names', type: 'transform', config: { expression: 'steps.fetch.output.body.items[].name' } },
      ],
      edges: [edge('trigger', 'fetch'), edge('fetch', 'names')],
      settings: { timeoutMs: 3600000, output: 'steps.names.output' },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.graph.triggerId).toBe('trigger');
    expect(r.graph.order).toEqual(['trigger', 'fetch', 'names']);
    expect(r.graph.sinks()).toEqual(['names']);
    expect(r.graph.incoming.get('names')).toEqual([{ source: 'fetch', target: 'names' }]);
    expect(r.graph.settings.output).toBe('steps.names.output');
  });

  it('applies config defaults and keeps join, retry and timeout on the compiled node', () => {
    const r = compile({
      nodes: [
        trigger,
        { id: 'call', type: 'http_request', config: { url: 'https://x.test', retry: { maxAttempts: 3 }, timeoutMs: 500 } },
        { id: 'a', type: 'transform', config: { expression: '@', join: 'any' } },
      ],
      edges: [edge('t', 'call'), edge('call', 'a'), edge('t', 'a')],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const call = r.graph.node('call');
    expect(call.config.method).toBe('GET');
    expect(call.retry).toEqual({ maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60000 });
    expect(call.timeoutMs).toBe(500);
    expect(call.join).toBe('all');
    expect(r.graph.node('a').join).toBe('any');
  });

  it('compiles branches whose edges carry handles, a for_each with a valid body, and templates everywhere', () => {
    const r = compile({
      nodes: [
        trigger,
        { id: 'big', type: 'branch', config: { condition: 'input.amount > `100`' } },
        { id: 'ask', type: 'wait_for_approval', config: { prompt: 'Send {{ input.amount }} EUR?' } },
        transform('auto'),
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.users',
            body: { nodes: [{ id: 'start', type: 'trigger' }, transform('greet', "join(' ', ['hi', item.name])")], edges: [edge('start', 'greet')] },
          },
        },
        { id: 'post', type: 'http_request', config: { method: 'POST', url: 'https://x.test', body: { who: '{{ input.user }}', list: ['{{ index }}'] } } },
      ],
      edges: [
        edge('t', 'big'),
        edge('big', 'ask', 'true'),
        edge('big', 'auto', 'false'),
        edge('ask', 'each', 'approved'),
        edge('ask', 'post', 'rejected'),
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.graph.outgoing.get('big')).toEqual([
      { source: 'big', target: 'ask', handle: 'true' },
      { source: 'big', target: 'auto', handle: 'false' },
    ]);
    expect(r.graph.node('each').config.concurrency).toBe(10);
  });

  it('compiles a for_each body once, with its parent graph, and keeps it on the loop node', () => {
    const inner = { id: 'inner', type: 'for_each', config: { items: 'item.tags', body: { nodes: [{ id: 's', type: 'trigger' }, transform('tag', 'item')], edges: [edge('s', 'tag')] } } };
    const r = compile({
      nodes: [trigger, { id: 'outer', type: 'for_each', config: { items: 'input.users', body: { nodes: [{ id: 'start', type: 'trigger' }, inner], edges: [edge('start', 'inner')] } } }],
      edges: [edge('t', 'outer')],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const body = r.graph.node('outer').body;
    expect(body?.order).toEqual(['start', 'inner']);
    expect(body?.node('inner').body?.order).toEqual(['s', 'tag']);
    expect(r.graph.node('t').body).toBeUndefined();
  });

  it('gives every body graph the workflow\'s root settings.pii (a body step needs no second graph)', () => {
    const inner = { id: 'inner', type: 'for_each', config: { items: 'item.tags', body: { nodes: [{ id: 's', type: 'trigger' }, transform('tag', 'item')], edges: [edge('s', 'tag')] } } };
    const pii = { redact: ['email' as const] };
    const r = compile({
      nodes: [trigger, { id: 'outer', type: 'for_each', config: { items: 'input.users', body: { nodes: [{ id: 'start', type: 'trigger' }, inner], edges: [edge('start', 'inner')] } } }],
      edges: [edge('t', 'outer')],
      settings: { pii },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.graph.pii).toEqual(pii);
    expect(r.graph.node('outer').body?.pii).toEqual(pii);
    expect(r.graph.node('outer').body?.node('inner').body?.pii).toEqual(pii);
    const none = compile({ nodes: [trigger, { id: 'outer', type: 'for_each', config: { items: 'input.users', body: { nodes: [{ id: 'start', type: 'trigger' }], edges: [] } } }], edges: [edge('t', 'outer')] });
    if (!none.ok) throw new Error(JSON.stringify(none.errors));
    expect(none.graph.node('outer').body?.pii).toBeUndefined();
  });

  it('keeps a waiting node\'s timeoutMs as its wait, not as a limit on a step, and a timer node\'s as a step limit', () => {
    const r = compile({
      nodes: [trigger, { id: 'ask', type: 'wait_for_approval', config: { prompt: 'ok?', timeoutMs: 5000 } }, { id: 'nap', type: 'delay', config: { durationMs: 10, timeoutMs: 7000 } }],
      edges: [edge('t', 'ask', undefined), edge('t', 'nap')],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.graph.node('ask').timeoutMs).toBeUndefined();
    expect(r.graph.node('nap').timeoutMs).toBe(7000);
  });
});

describe('compile reports every kind of error with its path, code and node', () => {
  it('reports an unknown node type at nodes[i].type', () => {
    expect(errorsOf({ nodes: [trigger, { id: 'x', type: 'teleport', config: {} }], edges: [edge('t', 'x')] })).toEqual([
      { path: 'nodes[1].type', code: 'unknown_node_type', message: expect.stringContaining('teleport'), nodeId: 'x' },
    ]);
  });

  it('reports a bad config value at its path inside the config', () => {
    const errors = errorsOf({
      nodes: [trigger, { id: 'call', type: 'http_request', config: { method: 'FETCH', url: 'https://x.test' } }],
      edges: [edge('t', 'call')],
    });
    expect(errors).toEqual([{ path: 'nodes[1].config.method', code: 'invalid_config', message: expect.any(String), nodeId: 'call' }]);
  });

  it('reports a missing required config field at its path', () => {
    const errors = errorsOf({ nodes: [trigger, { id: 'x', type: 'transform', config: {} }], edges: [edge('t', 'x')] });
    expect(errors).toEqual([{ path: 'nodes[1].config.expression', code: 'invalid_config', message: expect.any(String), nodeId: 'x' }]);
  });

  it('reports each unknown config field at the field itself, nested ones included', () => {
    const errors = errorsOf({
      nodes: [trigger, { id: 'call', type: 'http_request', config: { url: 'https://x.test', verb: 'GET', retry: { maxAttempts: 2, tries: 3 } } }],
      edges: [edge('t', 'call')],
    });
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'nodes[1].config.verb', code: 'unknown_field', message: expect.stringContaining('verb'), nodeId: 'call' },
        { path: 'nodes[1].config.retry.tries', code: 'unknown_field', message: expect.stringContaining('tries'), nodeId: 'call' },
      ]),
    );
  });

  it('reports a duplicate node id at the second node', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a'), transform('a')], edges: [edge('t', 'a')] });
    expect(errors).toEqual([{ path: 'nodes[2].id', code: 'duplicate_id', message: expect.stringContaining('nodes[1]'), nodeId: 'a' }]);
  });

  it('reports a dangling edge at the missing end', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a')], edges: [edge('t', 'ghost'), edge('phantom', 'a'), edge('t', 'a')] });
    expect(errors).toEqual([
      { path: 'edges[0].target', code: 'dangling_edge', message: expect.stringContaining('ghost') },
      { path: 'edges[1].source', code: 'dangling_edge', message: expect.stringContaining('phantom') },
    ]);
  });

  it('names every node of a cycle in order, back to the first', () => {
    const errors = errorsOf({
      nodes: [trigger, transform('a'), transform('b'), transform('c')],
      edges: [edge('t', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a')],
    });
    expect(errors).toEqual([{ path: 'edges', code: 'cycle', message: 'cycle: a → b → c → a', nodeId: 'a' }]);
  });

  it('names a cycle whose every arrow is a real edge when the cycles of a component overlap', () => {
    // a ⇄ b ⇄ c: a greedy walk a → b → c has no edge c → a.
    const errors = errorsOf({
      nodes: [trigger, transform('a'), transform('b'), transform('c')],
      edges: [edge('t', 'a'), edge('a', 'b'), edge('b', 'c'), edge('b', 'a'), edge('c', 'b')],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'edges', code: 'cycle', nodeId: 'a' });
    const named = errors[0]!.message.replace('cycle: ', '').split(' → ');
    const edges = new Set(['a>b', 'b>c', 'b>a', 'c>b']);
    for (let i = 0; i + 1 < named.length; i += 1) expect(edges, `${named[i]} → ${named[i + 1]}`).toContain(`${named[i]}>${named[i + 1]}`);
    expect(named[0]).toBe(named.at(-1));
  });

  it('reports a self-loop and each separate cycle', () => {
    const errors = errorsOf({
      nodes: [trigger, transform('a'), transform('x'), transform('y')],
      edges: [edge('t', 'a'), edge('a', 'a'), edge('t', 'x'), edge('x', 'y'), edge('y', 'x')],
    });
    expect(errors.map((e) => e.message).sort()).toEqual(['cycle: a → a', 'cycle: x → y → x']);
    expect(errors.every((e) => e.code === 'cycle')).toBe(true);
  });

  it('reports a workflow without a trigger', () => {
    expect(errorsOf({ nodes: [transform('a')], edges: [] })).toEqual([
      { path: 'nodes', code: 'trigger_count', message: expect.stringContaining('found 0') },
    ]);
  });

  it('reports a workflow with two triggers and names them', () => {
    expect(errorsOf({ nodes: [trigger, { id: 't2', type: 'trigger', config: {} }], edges: [] })).toEqual([
      { path: 'nodes', code: 'trigger_count', message: expect.stringContaining('found 2 (t, t2)') },
    ]);
  });

  it('reports an edge into the trigger', () => {
    expect(errorsOf({ nodes: [trigger, transform('a')], edges: [edge('t', 'a'), edge('a', 't')] })).toContainEqual({
      path: 'edges[1].target',
      code: 'edge_into_trigger',
      message: expect.any(String),
      nodeId: 't',
    });
  });

  it('reports every node the trigger cannot reach', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a'), transform('lost'), transform('lost2')], edges: [edge('t', 'a'), edge('lost', 'lost2')] });
    expect(errors).toEqual([
      { path: 'nodes[2]', code: 'unreachable', message: expect.stringContaining('lost'), nodeId: 'lost' },
      { path: 'nodes[3]', code: 'unreachable', message: expect.stringContaining('lost2'), nodeId: 'lost2' },
    ]);
  });

  it('reports JMESPath syntax errors in expression and condition fields', () => {
    const errors = errorsOf({
      nodes: [trigger, transform('a', 'foo.['), { id: 'b', type: 'branch', config: { condition: 'input.x >' } }, transform('c')],
      edges: [edge('t', 'a'), edge('a', 'b'), edge('b', 'c', 'true')],
    });
    expect(errors).toEqual([
      { path: 'nodes[1].config.expression', code: 'invalid_expression', message: expect.stringContaining('expression'), nodeId: 'a' },
      { path: 'nodes[2].config.condition', code: 'invalid_expression', message: expect.stringContaining('condition'), nodeId: 'b' },
    ]);
  });

  it('reports a call to an unknown function and a wrong argument count at publish', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a', 'no_such_fn(@)'), transform('b', 'length(@, @)')], edges: [edge('t', 'a'), edge('t', 'b')] });
    expect(errors.map((e) => [e.path, e.code, e.nodeId])).toEqual([
      ['nodes[1].config.expression', 'invalid_expression', 'a'],
      ['nodes[2].config.expression', 'invalid_expression', 'b'],
    ]);
  });

  it('reports a bad template at the path of the string that holds it', () => {
    const errors = errorsOf({
      nodes: [
        trigger,
        transform('a'),
        {
          id: 'call',
          type: 'http_request',
          config: {
            url: 'https://x.test/{{ input.id }}',
            headers: { Authorization: 'Bearer {{ input.[ }}' },
            query: { q: '{{ input.q' },
            body: { items: ['ok', '{{ a | }}'] },
          },
        },
      ],
      edges: [edge('t', 'a'), edge('a', 'call')],
    });
    expect(errors).toEqual([
      { path: 'nodes[2].config.headers.Authorization', code: 'invalid_expression', message: expect.stringContaining('input.['), nodeId: 'call' },
      { path: 'nodes[2].config.query.q', code: 'invalid_expression', message: expect.stringContaining('without a matching'), nodeId: 'call' },
      { path: 'nodes[2].config.body.items[1]', code: 'invalid_expression', message: expect.stringContaining('a |'), nodeId: 'call' },
    ]);
  });

  it('checks templates in every templated field: transform input, approval prompt, terminate message, delay until', () => {
    const errors = errorsOf({
      nodes: [
        trigger,
        { id: 'a', type: 'transform', config: { expression: '@', input: { doc: '{{ input.[ }}' } } },
        { id: 'ask', type: 'wait_for_approval', config: { prompt: 'Pay {{ ] }}?' } },
        { id: 'wait', type: 'delay', config: { until: '{{ input.( }}' } },
        { id: 'stop', type: 'terminate', config: { status: 'failed', message: 'bad {{ input..x }}' } },
      ],
      edges: [edge('t', 'a'), edge('a', 'ask'), edge('ask', 'wait', 'approved'), edge('ask', 'stop', 'rejected')],
    });
    expect(errors.map((e) => [e.path, e.nodeId])).toEqual([
      ['nodes[1].config.input.doc', 'a'],
      ['nodes[2].config.prompt', 'ask'],
      ['nodes[3].config.until', 'wait'],
      ['nodes[4].config.message', 'stop'],
    ]);
    expect(errors.every((e) => e.code === 'invalid_expression')).toBe(true);
  });

  it('reports a sourceHandle that the source node does not have', () => {
    const errors = errorsOf({
      nodes: [trigger, { id: 'br', type: 'branch', config: { condition: '@' } }, transform('a'), transform('b')],
      edges: [edge('t', 'br'), edge('br', 'a', 'maybe'), edge('br', 'b', 'false'), edge('t', 'a', 'true'), edge('br', 'a', 'true')],
    });
    expect(errors).toEqual([
      { path: 'edges[1].sourceHandle', code: 'invalid_handle', message: expect.stringContaining('"true", "false"'), nodeId: 'br' },
      { path: 'edges[3].sourceHandle', code: 'invalid_handle', message: expect.stringContaining('no handle'), nodeId: 't' },
    ]);
  });

  it('reports an edge leaving a branch without a sourceHandle', () => {
    const errors = errorsOf({
      nodes: [trigger, { id: 'br', type: 'branch', config: { condition: '@' } }, transform('a'), transform('b')],
      edges: [edge('t', 'br'), edge('br', 'a'), edge('br', 'b', 'false')],
    });
    expect(errors).toContainEqual({ path: 'edges[1].sourceHandle', code: 'missing_handle', message: expect.any(String), nodeId: 'br' });
  });

  it('reports a duplicate edge', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a')], edges: [edge('t', 'a'), edge('t', 'a')] });
    expect(errors).toEqual([{ path: 'edges[1]', code: 'duplicate_edge', message: expect.any(String), nodeId: 'a' }]);
  });

  it('reports errors inside a for_each body under the body path, owned by the for_each node', () => {
    const errors = errorsOf({
      nodes: [
        trigger,
        transform('a'),
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.users',
            body: {
              nodes: [{ id: 'start', type: 'trigger' }, transform('greet', 'item.['), { id: 'odd', type: 'warp' }, { id: 'call', type: 'http_request', config: { url: '{{ item.( }}' } }],
              edges: [edge('start', 'greet'), edge('start', 'nowhere'), edge('start', 'call')],
            },
          },
        },
      ],
      edges: [edge('t', 'a'), edge('a', 'each')],
    });
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['nodes[2].config.body.nodes[1].config.expression', 'invalid_expression'],
      ['nodes[2].config.body.nodes[2].type', 'unknown_node_type'],
      ['nodes[2].config.body.nodes[3].config.url', 'invalid_expression'],
      ['nodes[2].config.body.edges[1].target', 'dangling_edge'],
    ]);
    expect(errors.every((e) => e.nodeId === 'each')).toBe(true);
  });

  it('reports a for_each body without a trigger and a cycle inside it', () => {
    const errors = errorsOf({
      nodes: [
        trigger,
        { id: 'each', type: 'for_each', config: { items: '@', body: { nodes: [transform('x'), transform('y')], edges: [edge('x', 'y'), edge('y', 'x')] } } },
      ],
      edges: [edge('t', 'each')],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'nodes[1].config.body.nodes', code: 'trigger_count', message: expect.any(String), nodeId: 'each' },
        { path: 'nodes[1].config.body.edges', code: 'cycle', message: 'cycle: x → y → x', nodeId: 'each' },
      ]),
    );
  });

  it('reports a syntax error in settings.output', () => {
    expect(errorsOf({ nodes: [trigger], edges: [], settings: { output: 'steps.[' } })).toEqual([
      { path: 'settings.output', code: 'invalid_expression', message: expect.any(String) },
    ]);
  });

  it('reports a node id that is not an identifier, with that id as nodeId', () => {
    const errors = errorsOf({ nodes: [trigger, transform('1st'), transform('has-dash')], edges: [] });
    expect(errors).toEqual([
      { path: 'nodes[1].id', code: 'invalid_config', message: expect.stringContaining('^[A-Za-z_]'), nodeId: '1st' },
      { path: 'nodes[2].id', code: 'invalid_config', message: expect.stringContaining('^[A-Za-z_]'), nodeId: 'has-dash' },
    ]);
  });

  it('rejects a definition that is not an object of nodes and edges', () => {
    expect(errorsOf(null).length).toBeGreaterThan(0);
    expect(errorsOf({ nodes: 'x' })).toContainEqual(expect.objectContaining({ path: 'nodes' }));
  });

  it('reports several errors of different kinds at once, in one pass', () => {
    const errors = errorsOf({
      nodes: [
        trigger,
        { id: 'x', type: 'teleport' },
        transform('a', 'a.['),
        { id: 'call', type: 'http_request', config: { url: 'https://x.test', headers: { Authorization: '{{ ( }}' }, extra: true } },
        transform('a'),
        { id: 'br', type: 'branch', config: { condition: '@' } },
        transform('lost'),
      ],
      edges: [edge('t', 'a'), edge('t', 'ghost'), edge('t', 'br'), edge('br', 'a')],
      settings: { output: '[' },
    });
    expect(errors.map((e) => `${e.code} ${e.path}`).sort()).toEqual(
      [
        'unknown_node_type nodes[1].type',
        'invalid_expression nodes[2].config.expression',
        'unknown_field nodes[3].config.extra',
        'duplicate_id nodes[4].id',
        'dangling_edge edges[1].target',
        'missing_handle edges[3].sourceHandle',
        'invalid_expression settings.output',
        'unreachable nodes[6]',
      ].sort(),
    );
  });

  it('reports unreachable nodes together with other errors when the graph is acyclic', () => {
    const errors = errorsOf({ nodes: [trigger, transform('a', 'a.['), transform('lost')], edges: [edge('t', 'a')] });
    expect(errors.map((e) => e.code)).toEqual(['invalid_expression', 'unreachable']);
  });
});

describe('expressions nested past what the engine evaluates', () => {
  const deep = Array(1_000).fill('a').join('.');
  const definition = {
    nodes: [trigger, transform('a', deep), { id: 'call', type: 'http_request', config: { url: `https://x.test/{{ ${deep} }}` } }],
    edges: [edge('t', 'a'), edge('t', 'call')],
  };

  it('are refused at publish as expression_too_deep, naming node and path', () => {
    expect(errorsOf(definition).map((e) => `${e.code} ${e.path} ${e.nodeId}`)).toEqual([
      'expression_too_deep nodes[1].config.expression a',
      'expression_too_deep nodes[2].config.url call',
    ]);
  });

  it('still load from a stored version, whose steps then fail with budget_exceeded', () => {
    const r = compile(definition, { stored: true });
    expect(r.ok).toBe(true);
    expect(() => evaluatePureNode({ type: 'transform', config: { expression: deep } }, { input: {}, steps: {}, run: { id: 'r', workflowId: 'w' } })).toThrow(
      expect.objectContaining({ code: 'budget_exceeded' }),
    );
  });
});
