import type { Run, Step } from '@weft/workflow-schema';
import diff, { type Difference } from 'microdiff';
import { nodeRows, type NodeRow } from './run-steps';

/** One side of a node in a comparison: its last attempt, or nothing when the run did not reach it. */
export interface NodeSide {
  status: Step['status'] | 'not-reached';
  attempts: number;
  durationMs: number | null;
  output: unknown;
  error: string | null;
}

/** One change of a node's output from run A to run B, at a path ("items.0.price"). */
export interface OutputChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface NodeComparison {
  nodeId: string;
  a: NodeSide;
  b: NodeSide;
  /** Same status and same output. */
  same: boolean;
  /** B's duration minus A's (ms), when both finished. */
  durationDelta: number | null;
  outputChanges: OutputChange[];
}

const NOT_REACHED: NodeSide = { status: 'not-reached', attempts: 0, durationMs: null, output: null, error: null };

function side(row: NodeRow | undefined): NodeSide {
  if (!row) return NOT_REACHED;
  const last = row.attempts[row.attempts.length - 1]!;
  return { status: row.status, attempts: row.attempts.length, durationMs: row.durationMs, output: last.output ?? null, error: last.error?.message ?? null };
}

const isObject = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

/** The changes from `before` to `after` (microdiff over objects and arrays; a scalar is one change at the root). */
export function outputChanges(before: unknown, after: unknown): OutputChange[] {
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    return diff(before, after).map((d: Difference) => ({
      path: d.path.join('.'),
      kind: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
      ...('oldValue' in d ? { before: d.oldValue } : {}),
      ...('value' in d ? { after: d.value } : {}),
    }));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: '', kind: 'changed', before, after }];
}

/** Two runs node by node, in the order A reached them, then the nodes only B reached. */
export function compareRuns(a: Pick<Run, 'steps'>, b: Pick<Run, 'steps'>): NodeComparison[] {
  const rowsA = new Map(nodeRows(a.steps).map((r) => [r.nodeId, r]));
  const rowsB = new Map(nodeRows(b.steps).map((r) => [r.nodeId, r]));
  const ids = [...new Set([...rowsA.keys(), ...rowsB.keys()])];
  return ids.map((nodeId) => {
    const sa = side(rowsA.get(nodeId));
    const sb = side(rowsB.get(nodeId));
    const changes = outputChanges(sa.output, sb.output);
    return {
      nodeId,
      a: sa,
      b: sb,
      same: sa.status === sb.status && changes.length === 0,
      durationDelta: sa.durationMs !== null && sb.durationMs !== null ? sb.durationMs - sa.durationMs : null,
      outputChanges: changes,
    };
  });
}
