import { WorkflowDefinitionSchema, type Issue, type WorkflowDefinition } from '@weft/workflow-schema';

export type ImportResult = { ok: true; definition: WorkflowDefinition } | { ok: false; title: string; issues: Issue[] };

/**
 * Reads a workflow file: JSON, shaped as a definition (a whole export `{ definition }` is accepted
 * too). Semantic checks (types, cycles, configs) are the API's `validate`, done by the caller.
 */
export function parseWorkflowFile(text: string): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, title: 'The file is not valid JSON', issues: [{ path: '', code: 'invalid_json', message: (err as Error).message }] };
  }
  const candidate = isObject(json) && isObject(json.definition) && !('nodes' in json) ? json.definition : json;
  const parsed = WorkflowDefinitionSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      title: 'The file is not a Weft workflow',
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message })),
    };
  }
  return { ok: true, definition: parsed.data };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
