import { patternProblem } from './engine';

/** A regular expression written in a JSON Schema, and where: `properties.email.pattern`. */
export interface SchemaPattern {
  path: string;
  pattern: string;
}

/** A pattern the linear-time engine refuses, where it is, and why. */
export interface PatternIssue extends SchemaPattern {
  message: string;
}

// Keywords whose value is a subschema, a map of subschemas or a list of them (drafts 7 to 2020-12,
// the dialects Ajv reads). Values under any other keyword (`const`, `enum`, `default`, `examples`…)
// are data: a `pattern` there is not a regular expression.
const ONE = ['additionalProperties', 'propertyNames', 'items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (path: string, k: string) => (IDENTIFIER.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`);

/** Every regular expression of a JSON Schema: `pattern` keywords and `patternProperties` keys, at any depth. */
export function schemaPatterns(schema: unknown): SchemaPattern[] {
  const out: SchemaPattern[] = [];
  // Iterative: a schema nested thousands deep must not exhaust the stack.
  const stack: [unknown, string][] = [[schema, '']];
  while (stack.length) {
    const [s, path] = stack.pop()!;
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    const o = s as Record<string, unknown>;
    if (typeof o.pattern === 'string') out.push({ path: key(path, 'pattern'), pattern: o.pattern });
    const pp = o.patternProperties;
    if (pp && typeof pp === 'object' && !Array.isArray(pp)) {
      for (const k of Object.keys(pp)) out.push({ path: key(key(path, 'patternProperties'), k), pattern: k });
    }
    for (const kw of ONE) if (kw in o) stack.push([o[kw], key(path, kw)]);
    for (const kw of MAP) {
      const m = o[kw];
      if (m && typeof m === 'object' && !Array.isArray(m)) for (const [k, v] of Object.entries(m)) stack.push([v, key(key(path, kw), k)]);
    }
    for (const kw of LIST) {
      const l = o[kw];
      if (Array.isArray(l)) l.forEach((v, i) => stack.push([v, `${key(path, kw)}[${i}]`]));
    }
  }
  return out;
}

/** The patterns of a JSON Schema that the linear-time engine refuses, each with its path and the reason. */
export function schemaPatternIssues(schema: unknown): PatternIssue[] {
  return schemaPatterns(schema).flatMap(({ path, pattern }) => {
    const message = patternProblem(pattern);
    return message ? [{ path, pattern, message }] : [];
  });
}
