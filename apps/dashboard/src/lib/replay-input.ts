import type { Step } from '@weft/workflow-schema';
import { reusesOutput } from '@weft/workflow-schema/kinds';

interface Definition {
  nodes?: { id: string; type: string; name?: string }[];
  edges?: { source: string; target: string }[];
}

/** Whether a replay reuses a node type's output, as the API decides: its kind's `reusable` trait, the trigger aside (its output is the run's inputs). */
const reusable = (type: string) => type !== 'trigger' && reusesOutput(type);

/** The nodes a replay can start from: every node but the trigger, in the definition's order. */
export function replayableNodes(def: Definition): { id: string; label: string }[] {
  return (def.nodes ?? []).filter((n) => n.type !== 'trigger').map((n) => ({ id: n.id, label: n.name ? `${n.name} (${n.id})` : n.id }));
}

/** Every node upstream of `nodeId` (following edges backwards), itself excluded. */
export function upstreamOf(def: Definition, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const todo = [nodeId];
  while (todo.length) {
    const at = todo.pop()!;
    for (const e of def.edges ?? []) {
      if (e.target === at && !seen.has(e.source)) {
        seen.add(e.source);
        todo.push(e.source);
      }
    }
  }
  seen.delete(nodeId);
  return seen;
}

/**
 * The input of `nodeId` as a replay edits it: the latest output of each node upstream of it whose
 * output a replay reuses, by node id (what it reads as `steps.ID.output`).
 */
export function replayInput(def: Definition, steps: Step[], nodeId: string): Record<string, unknown> {
  const types = new Map((def.nodes ?? []).map((n) => [n.id, n.type]));
  const latest = new Map<string, Step>();
  for (const s of steps) if (s.status === 'succeeded') latest.set(s.nodeId, s);
  const input: Record<string, unknown> = {};
  for (const id of upstreamOf(def, nodeId)) {
    const step = latest.get(id);
    if (step && reusable(types.get(id) ?? '')) input[id] = step.output;
  }
  return input;
}

/** `text` as the JSON object a replay sends, or why it is not one. */
export function parseReplayInput(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `The input is not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'The input must be a JSON object: node id → that node’s output.' };
  return { ok: true, value: value as Record<string, unknown> };
}
