import { Budget, PURE_NODE_TYPES, evaluatePureNode, serializeWithin } from '@weft/engine';
import { jobFor } from '@weft/queue';
import { toError } from './control-error';
import { controlHandlers, isControlType } from './control-nodes';
import type { Decision } from './decision';
import { addSteps, settleNewStep, type NewStep } from './step-rows';

export interface Dispatch {
  nodeId: string;
  attempt: number;
  delayMs: number;
}

/**
 * Starts the steps the engine made ready. Executable nodes become `queued` rows plus an
 * execute-step job; pure nodes (inline steps on) are evaluated here and their results go to the
 * engine next round; control nodes are carried out by their handler (control-nodes.ts). A node
 * that cannot start (bad template, unknown workflow, an expression error, a budget exceeded) is
 * written `failed` and its failure goes to the engine next round. Each node gets its own budget
 * (what its expressions may spend), and what it stores is held to the value limits. A handler
 * that lacks a read asks for it and returns: the decision is then thrown away and made again.
 */
export function dispatchSteps(d: Decision, dispatches: readonly Dispatch[]): void {
  const plain: { d: Dispatch; row: NewStep }[] = [];
  for (const disp of dispatches) {
    const node = d.graph.node(disp.nodeId);
    const base = { nodeId: disp.nodeId, nodeType: node.type, attempt: disp.attempt };
    const budget = new Budget(d.limits.evaluation);
    try {
      if (isControlType(node.type)) {
        controlHandlers[node.type](d, base, node, budget);
      } else if (d.env.inlinePureSteps && PURE_NODE_TYPES.has(node.type)) {
        const ctx = d.context();
        if (!ctx) continue;
        const r = evaluatePureNode(node, ctx, budget);
        // Serialized here, once: the check of the output's size is the text the row is written with.
        const outputJson = serializeWithin(r.output, d.limits.evaluation, `the output of node "${node.id}"`);
        const row = settleNewStep(d, { ...base, status: 'succeeded', outputJson, handle: r.handle ?? null }, r.output, r.handle);
        d.log('step.dispatched', { attempt: disp.attempt, delayMs: 0, inline: true }, disp.nodeId, row.id);
      } else {
        plain.push({ d: disp, row: { ...base, status: 'queued', delayMs: disp.delayMs, timeoutMs: node.timeoutMs ?? null } });
      }
    } catch (err) {
      settleNewStep(d, { ...base, status: 'failed', error: toError(err) });
    }
  }
  // One row each, all in the final write (a 10,000-wide fan-out is one INSERT).
  const rows = addSteps(d, plain.map((p) => p.row));
  plain.forEach(({ d: disp }, i) => {
    const stepId = rows[i]!.id;
    d.jobs.push(jobFor.executeStep(d.run.id, stepId, 0, disp.delayMs));
    d.log('step.dispatched', { attempt: disp.attempt, delayMs: disp.delayMs }, disp.nodeId, stepId);
  });
}
