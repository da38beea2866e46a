import type { Issue } from '@weft/workflow-schema';

/** An unpaired UTF-16 surrogate: JSON can spell one (`"\ud800"`), UTF-8 and Postgres cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap first test: most strings have neither NUL nor any surrogate. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/**
 * The first thing in a parsed JSON body that the rest of the system cannot take, as an issue naming its path:
 * nesting deeper than `maxDepth` levels (recursive code on the way, from validation to the database driver and
 * JSON.stringify itself, would overflow its stack), or a string or key holding U+0000 or an unpaired surrogate
 * (Postgres text and jsonb cannot store either). Walks with an explicit stack, so no input is too deep to check.
 */
export function unacceptableJson(value: unknown, maxDepth: number): Issue | undefined {
  if (typeof value === 'string') return stringIssue(value, () => 'body');
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) {
      return { path: pathOf(frame), code: 'too_deep', message: `nested deeper than ${maxDepth} levels (the most a request body may have)` };
    }
    const entries: Iterable<[string | number, unknown]> = Array.isArray(frame.value) ? frame.value.entries() : Object.entries(frame.value);
    for (const [key, child] of entries) {
      if (typeof key === 'string') {
        const bad = stringIssue(key, () => `${pathOf(frame)} key ${JSON.stringify(key.slice(0, 40))}`);
        if (bad) return bad;
      }
      if (typeof child === 'string') {
        const bad = stringIssue(child, () => pathOf({ value: {}, depth: 0, parent: frame, key }));
        if (bad) return bad;
      } else if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
  }
  return undefined;
}

function stringIssue(s: string, path: () => string): Issue | undefined {
  if (!SUSPECT.test(s)) return undefined;
  if (s.includes('\u0000')) return { path: path(), code: 'invalid_string', message: 'contains U+0000 (NUL), which cannot be stored' };
  if (LONE_SURROGATE.test(s)) return { path: path(), code: 'invalid_string', message: 'contains an unpaired UTF-16 surrogate (not valid Unicode), which cannot be stored' };
  return undefined;
}

/** `body.a.b[2].c`, built only when an issue is reported (most bodies have none). */
function pathOf(frame: Frame): string {
  const parts: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) parts.push(f.key);
  return parts.reverse().reduce<string>((path, k) => (typeof k === 'number' ? `${path}[${k}]` : `${path}.${k}`), 'body');
}
