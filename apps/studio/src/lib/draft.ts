import { WorkflowDefinitionSchema, type Workflow, type WorkflowDefinition } from '@weft/workflow-schema';

/** A workflow as the editor opens it. */
export interface OpenedWorkflow {
  id: string;
  name: string;
  /** The draft as a definition; an empty graph when the stored draft is not one. */
  definition: WorkflowDefinition;
  /** The stored draft when it is not a definition: what the API validates then, so that its problems show. */
  invalidDraft?: unknown;
}

/**
 * Reads a workflow's draft. The workflow page does it on the server, so that Zod (its schemas take
 * tens of ms to build) is not loaded on the way to the first paint of the canvas (issue 4).
 */
export function openWorkflow(w: Pick<Workflow, 'id' | 'name' | 'draft'>): OpenedWorkflow {
  const parsed = WorkflowDefinitionSchema.safeParse(w.draft);
  return parsed.success ? { id: w.id, name: w.name, definition: parsed.data } : { id: w.id, name: w.name, definition: { nodes: [], edges: [] }, invalidDraft: w.draft };
}
