/**
 * JMESPath truthiness (false, null, "", [], {} are false), as the library decides it, except
 * that an object's emptiness is seen from its first key rather than by listing all its keys:
 * a filter over 200,000 references to one object of a million keys must not list them each time.
 */
export function isFalse(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return true;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'object') {
    if (Array.isArray(value)) return value.length === 0;
    for (const key in value) if (Object.hasOwn(value, key)) return false;
    return true;
  }
  return false;
}
