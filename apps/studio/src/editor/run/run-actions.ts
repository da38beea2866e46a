import type { CreateRunBody, Run, WorkflowVersion } from '@weft/workflow-schema';
import { toast } from '../../components/toast';
import { api, errorMessage, issuesOf } from '../../lib/api';
import { toDefinition } from '../../lib/graph';
import { subscribeRun, type RunSubscription } from '../../lib/subscribe-run';
import { useEditor } from '../store';

let subscription: RunSubscription | null = null;

/** Publishes the canvas as a new version; on 400 the issues land on their nodes. Null when invalid. */
export async function publish(opts: { quiet?: boolean } = {}): Promise<WorkflowVersion | null> {
  const s = useEditor.getState();
  const definition = toDefinition(s);
  try {
    const version = await api.publishVersion(s.workflowId, definition);
    s.setProblems([]);
    if (!opts.quiet) toast('success', `Published version ${version.version}`);
    return version;
  } catch (err) {
    const issues = issuesOf(err);
    s.setProblems(issues);
    toast('error', issues.length ? `Not published: ${issues.length} problem${issues.length > 1 ? 's' : ''} to fix (marked on the nodes)` : errorMessage(err));
    return null;
  }
}

/**
 * Runs the canvas as it is, as a TEST run of the draft: the draft is saved, then run
 * (`POST /v1/runs { workflowId, draft: true }`). No version is published, so the version history
 * only holds what someone meant to publish. `pinNodeIds` reuse those nodes' outputs from the run on
 * the canvas instead of executing them again.
 */
export async function startRun(inputs: Record<string, unknown>, pinNodeIds: string[] = []): Promise<boolean> {
  const s = useEditor.getState();
  const pinFrom = s.run && pinNodeIds.length ? { runId: s.run.id, nodeIds: pinNodeIds } : undefined;
  try {
    await api.saveDraft(s.workflowId, toDefinition(s));
    const { runId } = await api.createRun({ workflowId: s.workflowId, draft: true, inputs: inputs as CreateRunBody['inputs'], ...(pinFrom ? { pinFrom } : {}) });
    s.setProblems([]);
    watchRun(runId);
    return true;
  } catch (err) {
    const issues = issuesOf(err);
    if (issues.length) s.setProblems(issues);
    toast('error', issues.length ? `The run did not start: ${issues.length} problem${issues.length > 1 ? 's' : ''} to fix (marked on the nodes)` : `The run did not start: ${errorMessage(err)}`);
    return false;
  }
}

/** Shows a run's live state on the canvas. */
export function watchRun(runId: string) {
  subscription?.close();
  const s = useEditor.getState();
  const now = new Date().toISOString();
  const placeholder: Run = { id: runId, workflowId: s.workflowId, workflowVersionId: '', status: 'queued', inputs: {}, output: null, error: null, parentRunId: null, createdBy: null, triggerType: 'manual', triggerId: null, test: true, createdAt: now, startedAt: null, finishedAt: null, steps: [], stepsTotal: 0, stepsNextCursor: null, logs: [] };
  s.setRun(placeholder);
  subscription = subscribeRun(
    runId,
    (run) => useEditor.getState().setRun(run),
    (err) => toast('error', `Lost track of the run: ${errorMessage(err)}`),
  );
}

/** Leaves the run view (the run itself goes on). */
export function closeRun() {
  subscription?.close();
  subscription = null;
  useEditor.getState().setRun(null);
}

export async function cancelRun(runId: string) {
  try {
    await api.cancelRun(runId);
  } catch (err) {
    toast('error', `Could not cancel: ${errorMessage(err)}`);
  }
}

/** Approves or rejects the step waiting at `nodeId`. */
export async function decide(runId: string, nodeId: string, decision: 'approve' | 'reject'): Promise<boolean> {
  try {
    await api.resumeRun(runId, { nodeId, decision });
    toast('success', decision === 'approve' ? 'Approved' : 'Rejected');
    return true;
  } catch (err) {
    toast('error', `Could not ${decision}: ${errorMessage(err)}`);
    return false;
  }
}
