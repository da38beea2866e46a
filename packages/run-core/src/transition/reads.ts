import {
  enclosingIterations,
  errorWorkflowTarget,
  findWorkflowVersion,
  firstFailedItem,
  iterationsStarted,
  loadOutputs,
  lockDueTimers,
  lockRunningLoops,
  loopOutput,
  loopOutputBytes,
  runDepth,
  type Queryable,
  type StoredRun,
} from '@weft/run-store';
import { LOOP_TYPES, PARKING_TYPES, versionKey, type OrchestratorLimits, type ReadRequest, type Reads, type RunningLoop } from '../decide';

const PARKING = [...PARKING_TYPES];
const LOOPS = [...LOOP_TYPES];

/** Loads the reads a decision asked for into `reads` (due timers and loops are locked: only under the run lock). */
export async function loadReads(q: Queryable, run: StoredRun, requests: readonly ReadRequest[], limits: OrchestratorLimits, reads: Reads): Promise<void> {
  for (const r of requests) {
    switch (r.read) {
      case 'outputs':
        reads.outputs = await loadOutputs(q, run.id);
        break;
      case 'dueTimers':
        reads.dueTimers = (await lockDueTimers(q, run.id, PARKING)).map((s) => ({ stepId: s.id, nodeId: s.node_id, nodeType: s.node_type, attempt: s.attempt }));
        break;
      case 'loops':
        reads.loops = await runningLoops(q, run.id, limits.evaluation.maxValueBytes);
        break;
      case 'version': {
        const found = await findWorkflowVersion(q, run.org_id, r.workflowId, r.version);
        reads.versions = new Map(reads.versions).set(versionKey(r.workflowId, r.version), found ?? null);
        break;
      }
      case 'runDepth':
        reads.runDepth = await runDepth(q, run.id, limits.maxSubWorkflowDepth + 1);
        break;
      case 'enclosingIterations':
        reads.enclosingIterations = await enclosingIterations(q, run.id, LOOPS);
        break;
      case 'iterationsStarted':
        reads.iterationsStarted = await iterationsStarted(q, run.id);
        break;
      case 'errorTarget':
        reads.errorTarget = await errorWorkflowTarget(q, { id: run.id, orgId: run.org_id }, r.errorWorkflowId, limits.maxSubWorkflowDepth + 1);
        break;
    }
  }
}

/** The running loops of the run, each with what its end needs: the first failed item, or (all done) the size of the output and the output within the limit. */
async function runningLoops(q: Queryable, runId: string, maxValueBytes: number): Promise<RunningLoop[]> {
  const loops: RunningLoop[] = [];
  for (const l of await lockRunningLoops(q, runId, LOOPS)) {
    const loop: RunningLoop = { stepId: l.id, nodeId: l.node_id, attempt: l.attempt, itemsTotal: l.items_total, itemsDone: l.items_done, itemsFailed: l.items_failed };
    if (l.items_failed > 0) {
      const f = await firstFailedItem(q, l.id);
      if (f) loop.firstFailed = { runId: f.id, index: f.item_index, status: f.status, message: f.error?.message };
    } else if (l.items_done >= l.items_total) {
      loop.outputBytes = await loopOutputBytes(q, l.id);
      if (loop.outputBytes <= maxValueBytes) loop.output = await loopOutput(q, l.id);
    }
    loops.push(loop);
  }
  return loops;
}
