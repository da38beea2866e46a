import type { BranchingNodeType, HandleOf } from '@weft/workflow-schema';

type Output = Record<string, unknown>;

/**
 * How each branching node's output picks its handle: one entry per node type with named outputs
 * in the catalog, each answering one of that type's handles (a new branching type without an
 * entry, or an entry answering a handle its type does not declare, fails the typecheck).
 */
const HANDLE_OF = {
  branch: (o: Output) => (o.result === true ? 'true' : 'false'),
  wait_for_approval: (o: Output) => (o.decision === 'approve' ? 'approved' : 'rejected'),
} satisfies { [T in BranchingNodeType]: (o: Output) => HandleOf<T> };

/** The handle a finished branching node left by, derived from its output. */
export function handleOf(type: string, output: unknown): string | undefined {
  if (!Object.hasOwn(HANDLE_OF, type)) return undefined;
  return HANDLE_OF[type as BranchingNodeType]((output ?? {}) as Output);
}

/** JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 too) is true. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
