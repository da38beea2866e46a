import type { Issue } from '@weft/workflow-schema';
import type { z } from 'zod';

/** Formats path segments as `nodes[2].config.url`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

/** Turns a Zod error into issues whose paths start at `prefix`. */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[], nodeId?: string): Issue[] {
  const node = nodeId ? { nodeId } : {};
  return error.issues.flatMap((i): Issue[] =>
    // One issue per unknown key, addressed at the key itself, so an editor can point at the field.
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: formatPath([...prefix, ...i.path, key]), code: 'unknown_field', message: `unknown field "${key}"`, ...node }))
      : [{ path: formatPath([...prefix, ...i.path]), code: 'invalid_config', message: i.message, ...node }],
  );
}
