import { compileOrThrow, descendants } from '@weft/engine';
import { pinnableOutputs } from '@weft/run-store';
import { reusesOutput, type Issue, type RerunBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { storableJson } from './value-limits';

interface EndedRun {
  id: string;
  workflowId: string;
  definition: unknown;
}

/**
 * The outputs a replay from `body.fromNodeId` reuses, as JSON text (null without `fromNodeId`):
 * the run's latest output of every node that is not downstream of it (nor the trigger, whose
 * output is the run's inputs), with the edited `stepOutputs` in place of the run's. Each edited
 * node must be one of those: 400 naming `body.stepOutputs.ID` otherwise, `body.fromNodeId` for a
 * node the version does not have.
 */
export async function replayPins(res: Resources, orgId: string, run: EndedRun, body: RerunBody): Promise<string | null> {
  if (body.fromNodeId === undefined) return null;
  const graph = compileOrThrow(run.definition); // a stored version compiles
  const from = body.fromNodeId;
  if (!graph.nodes.has(from)) {
    const message = `the run's workflow has no node "${from}"`;
    throw new AppError('validation_failed', message, [{ path: 'body.fromNodeId', code: 'unknown_node', message, nodeId: from }]);
  }
  const after = descendants(graph, from);
  const reusable = (id: string) => !after.has(id) && id !== graph.triggerId && reusesOutput(graph.nodes.get(id)!.type);
  const edited = body.stepOutputs ?? {};
  const issues: Issue[] = Object.keys(edited).flatMap((id) => {
    const path = `body.stepOutputs.${id}`;
    if (!graph.nodes.has(id)) return [{ path, code: 'unknown_node', message: `the run's workflow has no node "${id}"`, nodeId: id }];
    if (after.has(id)) return [{ path, code: 'not_before_node', message: `node "${id}" runs at or after "${from}": only the outputs of the nodes before it can be edited`, nodeId: id }];
    if (id === graph.triggerId) return [{ path, code: 'not_reusable', message: `node "${id}" is the trigger: edit the run's inputs instead`, nodeId: id }];
    if (!reusable(id)) return [{ path, code: 'not_reusable', message: `node "${id}" (${graph.nodes.get(id)!.type}) runs again in a replay: its output cannot be set`, nodeId: id }];
    return [];
  });
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => i.message).join('; '), issues);
  storableJson(res, edited, 'body.stepOutputs', 'the edited step outputs');
  const ids = [...graph.nodes.keys()].filter(reusable);
  const outputs = ids.length ? await pinnableOutputs(res.db.pool, orgId, run.workflowId, run.id, ids) : {};
  return storableJson(res, { ...outputs, ...edited }, 'body.stepOutputs', 'the reused step outputs');
}
