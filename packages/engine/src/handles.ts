/** The handle a finished branching node left by, derived from its output. */
export function handleOf(type: string, output: unknown): string | undefined {
  const o = (output ?? {}) as Record<string, unknown>;
  if (type === 'branch') return o.result === true ? 'true' : 'false';
  if (type === 'wait_for_approval') return o.decision === 'approve' ? 'approved' : 'rejected';
  return undefined;
}

/** JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 too) is true. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
