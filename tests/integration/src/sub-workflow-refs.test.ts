import type { WeftClient } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';
import { publishIssues as publishIssuesAs } from './publish-issues';

let p: Platform;
let other: WeftClient;
beforeAll(async () => {
  p = await startPlatform();
  other = await p.newOrgClient();
});
afterAll(async () => {
  await p?.stop();
});

const MISSING = '0190f0f0-0000-7000-8000-000000000000';

/** trigger → call (sub_workflow of `workflowId`). */
const calling = (workflowId: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: 'call', type: 'sub_workflow', config: { workflowId, input: { n: '{{ input.n }}' } } },
  ],
  edges: [{ source: 'trigger', target: 'call' }],
});

/** trigger → each (for_each whose body calls `workflowId`). */
const loopCalling = (workflowId: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    {
      id: 'each',
      type: 'for_each',
      config: {
        items: 'input.items',
        body: {
          nodes: [
            { id: 'start', type: 'trigger', config: {} },
            { id: 'child', type: 'sub_workflow', config: { workflowId, input: { n: '{{ input.item }}' } } },
          ],
          edges: [{ source: 'start', target: 'child' }],
        },
      },
    },
  ],
  edges: [{ source: 'trigger', target: 'each' }],
});

const publishIssues = (client: WeftClient, definition: unknown) => publishIssuesAs(client, definition, 'parent');

describe('A sub_workflow must call a workflow of the same org', () => {
  it('refuses at publish a workflowId that is no workflow, naming the node and the path', async () => {
    const r = await publishIssues(p.client, calling(MISSING));
    expect(r.status).toBe(400);
    expect(r.issues).toEqual([{ path: 'nodes[1].config.workflowId', code: 'workflow_not_found', nodeId: 'call', message: `workflow ${MISSING} is not a workflow of this org` }]);
  });

  it("answers a workflow of another org exactly as one that does not exist (its existence is not revealed)", async () => {
    const foreign = await other.createWorkflow({ name: 'theirs' });
    await other.publishVersion(foreign.id, calling(foreign.id));
    const r = await publishIssues(p.client, calling(foreign.id));
    expect(r.status).toBe(400);
    expect(r.issues).toEqual([{ path: 'nodes[1].config.workflowId', code: 'workflow_not_found', nodeId: 'call', message: `workflow ${foreign.id} is not a workflow of this org` }]);
  });

  it('refuses it inside a for_each body, with the path into the body and the for_each node', async () => {
    const r = await publishIssues(p.client, loopCalling(MISSING));
    expect(r.status).toBe(400);
    expect(r.issues).toEqual([
      { path: 'nodes[1].config.body.nodes[1].config.workflowId', code: 'workflow_not_found', nodeId: 'each', message: `node "child" of the for_each body: workflow ${MISSING} is not a workflow of this org` },
    ]);
  });

  it('reports it from POST /v1/workflows/validate and in the problems of a saved draft', async () => {
    const validated = await p.client.validate(loopCalling(MISSING));
    expect(validated.valid).toBe(false);
    expect(validated.errors).toEqual([expect.objectContaining({ path: 'nodes[1].config.body.nodes[1].config.workflowId', code: 'workflow_not_found', nodeId: 'each' })]);

    const wf = await p.client.createWorkflow({ name: 'draft' });
    // A draft that does not compile (no edge to `call`) still has its reference checked.
    const draft = await p.client.saveDraft(wf.id, { ...calling(MISSING), edges: [] });
    expect(draft.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unreachable', nodeId: 'call' }),
        expect.objectContaining({ path: 'nodes[1].config.workflowId', code: 'workflow_not_found', nodeId: 'call' }),
      ]),
    );
  });

  it('publishes and runs a sub_workflow and a for_each body that call workflows of the org', async () => {
    const child = await p.client.createWorkflow({ name: 'double' });
    await p.client.publishVersion(child.id, {
      nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'x2', type: 'transform', config: { expression: 'input.n * `2`' } }],
      edges: [{ source: 'trigger', target: 'x2' }],
      settings: { output: 'steps.x2.output' },
    });
    expect(await p.client.validate(calling(child.id))).toEqual({ valid: true, errors: [] });
    const parent = await p.client.createWorkflow({ name: 'loop parent' });
    await p.client.publishVersion(parent.id, { ...loopCalling(child.id), settings: { output: 'steps.each.output' } });
    const { runId } = await p.client.createRun({ workflowId: parent.id, inputs: { items: [1, 2, 3] } });
    const run = await p.client.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    expect(run.output).toEqual([2, 4, 6]);
  });

  it('accepts a workflow that calls itself (recursion is bounded at run time, not at publish)', async () => {
    const wf = await p.client.createWorkflow({ name: 'self' });
    await expect(p.client.publishVersion(wf.id, calling(wf.id))).resolves.toMatchObject({ version: 1 });
  });
});
