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
  return error.issues.map((i) => ({
    path: formatPath([...prefix, ...i.path]),
    code: i.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid_config',
    message: i.message,
    ...(nodeId ? { nodeId } : {}),
  }));
}
