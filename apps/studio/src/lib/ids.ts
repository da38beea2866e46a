/** Node ids must be identifiers so that `steps.<id>.output` works in JMESPath. */
export const NODE_ID_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `base`, else `base_2`, `base_3`, … : the first that is not taken. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  let clean = base.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 56) || 'node';
  if (!/^[A-Za-z_]/.test(clean)) clean = `n_${clean}`;
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/_\d+$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${stem}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
