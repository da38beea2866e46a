import { describe, expect, it } from 'vitest';
import { subWorkflowRefs } from './sub-workflow-refs';

const A = '0190f0f0-0000-7000-8000-00000000000a';
const B = '0190F0F0-0000-7000-8000-00000000000B';

const sub = (id: string, workflowId: unknown) => ({ id, type: 'sub_workflow', config: { workflowId } });
const loop = (id: string, nodes: unknown[]) => ({ id, type: 'for_each', config: { items: 'input', body: { nodes, edges: [] } } });

describe('subWorkflowRefs', () => {
  it('finds top-level references and those of for_each bodies at any depth, owned by the top-level node', () => {
    const refs = subWorkflowRefs({ nodes: [{ id: 't', type: 'trigger' }, sub('a', A), loop('outer', [{ id: 's', type: 'trigger' }, loop('inner', [sub('deep', B)])])] });
    expect(refs).toEqual([
      { workflowId: A, path: 'nodes[1].config.workflowId', nodeId: 'a', localId: 'a' },
      { workflowId: B.toLowerCase(), path: 'nodes[2].config.body.nodes[1].config.body.nodes[0].config.workflowId', nodeId: 'outer', localId: 'deep' },
    ]);
  });

  it('leaves out what the schema already refuses (no UUID, no config) and ignores junk', () => {
    expect(subWorkflowRefs({ nodes: [sub('a', 'not-a-uuid'), sub('b', 42), { id: 'c', type: 'sub_workflow' }, null, 'x', loop('l', 'nope' as never)] })).toEqual([]);
    for (const junk of [null, 1, 'x', [], { nodes: 'x' }, { nodes: [null] }]) expect(subWorkflowRefs(junk)).toEqual([]);
  });

  it('walks bodies nested 10,000 deep without recursion', () => {
    let graph: unknown = { nodes: [sub('leaf', A)] };
    for (let i = 0; i < 10_000; i++) graph = { nodes: [loop(`l${i}`, (graph as { nodes: unknown[] }).nodes)] };
    const refs = subWorkflowRefs(graph);
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ workflowId: A, nodeId: 'l9999', localId: 'leaf' });
  });
});
