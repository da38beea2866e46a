/** A copy of `obj` with `path` set to `value`; `undefined` removes the key (and empty parents). */
export function setIn(obj: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const out = { ...obj };
  if (!rest.length) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const child = typeof out[head] === 'object' && out[head] !== null ? (out[head] as Record<string, unknown>) : {};
  const next = setIn(child, rest, value);
  if (Object.keys(next).length) out[head] = next;
  else delete out[head];
  return out;
}

/** Words from a property name: `timeoutMs` → "Timeout (ms)", `maxAttempts` → "Max attempts". */
export function labelOf(name: string): string {
  const ms = /Ms$/.test(name);
  const words = name.replace(/Ms$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  const text = words.charAt(0).toUpperCase() + words.slice(1);
  return ms ? `${text} (ms)` : text;
}

/** Plain-text description: Markdown back-ticks removed. */
export const helpText = (d: string | undefined) => d?.replace(/`/g, '');
