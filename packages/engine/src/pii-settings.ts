import type { Issue, WorkflowDefinition } from '@weft/workflow-schema';

/** Every node id of a definition, those inside for_each bodies included. */
function allNodeIds(graph: { nodes: readonly { id: string; config?: Record<string, unknown> }[] }, into = new Set<string>()): Set<string> {
  for (const n of graph.nodes) {
    into.add(n.id);
    const body = n.config?.body as { nodes?: unknown } | undefined;
    if (body && Array.isArray(body.nodes)) allNodeIds(body as { nodes: { id: string; config?: Record<string, unknown> }[] }, into);
  }
  return into;
}

/** `settings.pii.nodes` may only name nodes of the workflow (a typo would silently redact nothing). */
export function piiSettingsIssues(def: WorkflowDefinition): Issue[] {
  const named = Object.keys(def.settings?.pii?.nodes ?? {});
  if (named.length === 0) return [];
  const ids = allNodeIds(def);
  return named
    .filter((id) => !ids.has(id))
    .map((id) => ({ path: `settings.pii.nodes.${id}`, code: 'unknown_node', message: `settings.pii.nodes names "${id}", which is not a node of this workflow` }));
}
