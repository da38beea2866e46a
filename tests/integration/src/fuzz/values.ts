import fc from 'fast-check';
import { deref, type OpenApiDoc, type Schema } from './operations';

/** 1 MiB of text in one string (built once: fast-check hands out the same instance). */
export const HUGE_STRING = 'x'.repeat(1024 * 1024);
export const DEEP_LEVELS = 10_000;

/** Strings that broke, or could break, code between the socket and the database. */
export const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDBFF', '\uDC00x', '\u202Eevil\u202C', '\u200F\u05D0\u05D1', '\uFEFF', '\uFFFF', '\uFFFE',
  '🧵🔥', '👩‍👩‍👧‍👦', 'e\u0301\u0301\u0301', 'ＡＢＣ', '\u00C0\u00AF', '\r\nX-Injected: 1', '\t\v\f\b',
  'null', 'undefined', 'NaN', '-0', '1e309', '0x10', 'true', '[]', '{}',
  "' OR '1'='1", "1; DROP TABLE runs;--", "'; SELECT pg_sleep(1);--", '$1', '%s%s%n', '%00', '%', '%E0%A4%A', '../../etc/passwd',
  '{{ secrets.TOKEN }}', '{{ input }}', '<script>alert(1)</script>', '__proto__', 'constructor', 'prototype', 'toString',
  'a'.repeat(256), 'a'.repeat(10_000),
];

/** Any UTF-16 code unit, so unpaired surrogates too (fast-check's units only make well-formed strings). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constant(HUGE_STRING) },
);

/** Ids that belong to nobody, to nothing, or are not ids at all. */
export const junkId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constantFrom('not-a-uuid', '0', '-1', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0b9f6f2e-7c1a-4b5e-9a55-3f1f0d3c2a1', '0B9F6F2E-7C1A-4B5E-9A55-3F1F0D3C2A10', 'FUZZ_NOPE', 'A'.repeat(64), 'A'.repeat(65)),
  nastyString,
);

/** Numbers at the edges of what JSON, JavaScript and Postgres agree on. */
const edgeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 31, -(2 ** 31) - 1, -0, 0.1, 5e-324, -1, 0, 1e21, 1e20);

/** Placeholders swapped for raw JSON text after serialization (JSON.stringify would recurse 10,000 times). */
export const DEEP_ARRAY = '\u0001deep-array';
export const DEEP_OBJECT = '\u0001deep-object';

/** A value of any kind that a field should not hold: another type, an edge number, a nasty string, 10,000 levels of nesting. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [null], { '': null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT) },
);

/** Keys an object should not carry: prototype-polluting ones first. */
export const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'extra', '', '\u0000', '\uD800', 'toString', 'hasOwnProperty', '$where', 'a.b', 'a[0]'];
const pollution = fc.constantFrom({ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, { __proto__x: 1 });

/** What the generator may use where the document asks for a known kind of string (ids of objects that exist). */
export interface Knowns {
  /** Ids of existing objects, this org's and another's. */
  ids: string[];
  /** Other strings that name things that exist (node ids, secret names). */
  names: string[];
  /** Node types of the catalog, so that free-form objects are sometimes workflow graphs. */
  nodeTypes: string[];
}

/** A value the schema describes (roughly: it aims at the happy path, mutations do the rest). */
export function fromSchema(doc: OpenApiDoc, schema: Schema, k: Knowns, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(doc, schema);
  const anyOf = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map((m) => fromSchema(doc, m, k, depth + 1)));
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => fromSchema(doc, { ...s, type: t }, k, depth + 1)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: Math.max(Number(s.minimum ?? -1000), -1e9), max: Math.min(Number(s.maximum ?? 1000), 1e9) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'string':
      return stringFor(s, k);
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(fromSchema(doc, (s.items as Schema) ?? {}, k, depth + 1), { maxLength: 3 });
    case 'object':
      return objectFor(doc, s, k, depth);
    default:
      return anyJson(k);
  }
}

function stringFor(s: Schema, k: Knowns): fc.Arbitrary<string> {
  if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...k.ids), fc.uuid());
  if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern);
    const known = k.names.filter((n) => re.test(n));
    return known.length ? fc.oneof(fc.constantFrom(...known), fc.stringMatching(re, { size: 'xsmall' })) : fc.stringMatching(re, { size: 'xsmall' });
  }
  const min = Number(s.minLength ?? 0);
  return fc.string({ minLength: min, maxLength: Math.min(Number(s.maxLength ?? 24), min + 24) });
}

function objectFor(doc: OpenApiDoc, s: Schema, k: Knowns, depth: number): fc.Arbitrary<unknown> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  if (Object.keys(props).length === 0) return freeForm(doc, s, k, depth);
  const model = Object.fromEntries(Object.entries(props).map(([name, p]) => [name, fromSchema(doc, p, k, depth + 1)]));
  return fc.record(model, { requiredKeys: (s.required as string[] | undefined) ?? [] });
}

/** An object with no declared properties: a map of its value schema, or (any object) sometimes a workflow graph. */
function freeForm(doc: OpenApiDoc, s: Schema, k: Knowns, depth: number): fc.Arbitrary<unknown> {
  const values = s.additionalProperties;
  if (values && typeof values === 'object' && Object.keys(values).length > 0) {
    return fc.dictionary(fc.string({ maxLength: 12 }), fromSchema(doc, values as Schema, k, depth + 1), { maxKeys: 4 });
  }
  return fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), anyJson(k), { maxKeys: 4 }), graph(k));
}

const anyJson = (_k: Knowns) => fc.jsonValue({ maxDepth: 3 });

/** Something shaped like a workflow definition, with real and unknown node types and configs of any shape. */
function graph(k: Knowns): fc.Arbitrary<unknown> {
  const nodeId = fc.oneof(fc.constantFrom('trigger', 't', 'a', 'b', 'approve'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/));
  const node = fc.record(
    {
      id: nodeId,
      type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...k.nodeTypes) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
      config: fc.oneof(fc.dictionary(fc.constantFrom('expression', 'url', 'items', 'condition', 'inputSchema', 'body', 'durationMs', 'workflowId', 'name'), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('input', '{{ input.x }}', 'steps.a.output', '[?a==`1`]', '^(x+x+)+y$'))), fc.jsonValue({ maxDepth: 2 })),
      position: fc.record({ x: fc.integer(), y: fc.integer() }),
    },
    { requiredKeys: ['id', 'type'] },
  );
  const edge = fc.record({ source: nodeId, target: nodeId, sourceHandle: fc.constantFrom('true', 'false', 'approved', 'x') }, { requiredKeys: ['source', 'target'] });
  return fc.record({ nodes: fc.array(node, { maxLength: 5 }), edges: fc.array(edge, { maxLength: 5 }), settings: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['nodes'] });
}

/** One change to a valid-looking value: a field replaced, removed, or added (where `at` picks the spot). */
export type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'root'; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junkValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 8 })), value: fc.oneof(junkValue, pollution) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('root' as const), value: junkValue }) },
);

/** Applies a mutation to a copy of `value`. */
export function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === 'none') return value;
  if (m.kind === 'root') return m.value;
  const copy = structuredClone(value);
  const spots = containers(copy);
  if (m.kind === 'add') {
    const objects = spots.filter((c) => !Array.isArray(c.node));
    const target = objects[m.at % Math.max(objects.length, 1)]?.node;
    if (!target) return m.value;
    // defineProperty makes `__proto__` an own key that JSON.stringify writes out, as an attacker's body has it.
    Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  const fields = spots.flatMap((c) => Object.keys(c.node).map((key) => ({ node: c.node, key })));
  if (fields.length === 0) return m.kind === 'replace' ? m.value : copy;
  const f = fields[m.at % fields.length]!;
  if (m.kind === 'delete') {
    if (Array.isArray(f.node)) f.node.splice(Number(f.key), 1);
    else delete f.node[f.key];
  } else {
    f.node[f.key] = m.value;
  }
  return copy;
}

function containers(root: unknown): { node: Record<string, unknown> }[] {
  const out: { node: Record<string, unknown> }[] = [];
  const stack = [root];
  while (stack.length && out.length < 500) {
    const v = stack.pop();
    if (v && typeof v === 'object') {
      out.push({ node: v as Record<string, unknown> });
      stack.push(...Object.values(v));
    }
  }
  return out;
}

/** JSON text of a value, with the deep-nesting placeholders expanded to 10,000 levels. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text
    .replaceAll(JSON.stringify(DEEP_ARRAY), () => '['.repeat(DEEP_LEVELS) + '1' + ']'.repeat(DEEP_LEVELS))
    .replaceAll(JSON.stringify(DEEP_OBJECT), () => '{"a":'.repeat(DEEP_LEVELS) + '1' + '}'.repeat(DEEP_LEVELS));
}
