import type { Run } from '@weft/workflow-schema';
import { ancestorsOf } from './ops';
import type { JSONSchema } from './schema';
import type { AppNode, Catalog, Doc } from './types';

/** One completion: a JMESPath into the run context, and what is known about it. */
export interface Suggestion {
  path: string;
  detail: string;
  source: 'schema' | 'run' | 'context' | 'secret';
}

const MAX_DEPTH = 4;

/**
 * Paths a node's templates and expressions can use: the trigger's inputs, the outputs of the steps
 * upstream of it (from the catalog's output schemas and, when there is one, the last run's values).
 */
export function suggestionsFor(doc: Pick<Doc, 'nodes' | 'edges'>, nodeId: string, catalog: Catalog, run: Run | null): Suggestion[] {
  const out = new Map<string, Suggestion>();
  const add = (s: Suggestion) => {
    const prev = out.get(s.path);
    if (!prev || (prev.source !== 'run' && s.source === 'run')) out.set(s.path, s);
  };
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const node = byId.get(nodeId);
  const scope = node?.parentId;
  if (scope) {
    add({ path: 'item', detail: 'the current item', source: 'context' });
    add({ path: 'index', detail: 'its position', source: 'context' });
  } else {
    const trigger = doc.nodes.find((n) => !n.parentId && n.data.type === 'trigger');
    add({ path: 'input', detail: 'the run inputs', source: 'context' });
    const inputSchema = trigger?.data.config.inputSchema as JSONSchema | undefined;
    if (inputSchema) fromSchema('input', inputSchema, 0, add);
    if (run) fromValue('input', run.inputs, 0, add);
  }
  const steps = new Map((run?.steps ?? []).map((s) => [s.nodeId, s]));
  for (const id of ancestorsOf(doc, nodeId)) {
    const up = byId.get(id);
    if (!up || up.parentId !== scope) continue;
    const base = `steps.${up.data.localId}.output`;
    add({ path: base, detail: catalog[up.data.type]?.title ?? up.data.type, source: 'context' });
    const schema = outputSchemaOf(up, catalog);
    if (schema) fromSchema(base, schema, 0, add);
    const step = scope ? undefined : steps.get(up.data.localId);
    if (step?.status === 'succeeded') fromValue(base, step.output, 0, add);
  }
  if (!scope) {
    add({ path: 'run.id', detail: 'this run', source: 'context' });
    add({ path: 'run.workflowId', detail: 'this workflow', source: 'context' });
  }
  for (const name of secretNames(doc.nodes)) add({ path: `secrets.${name}`, detail: 'secret (templates only)', source: 'secret' });
  return [...out.values()];
}

/**
 * Names of the secrets this workflow already uses (`{{ secrets.NAME }}`): the picker offers them
 * by name only; their values never reach the studio.
 */
export function secretNames(nodes: Pick<AppNode, 'data'>[]): string[] {
  const names = new Set<string>();
  for (const n of nodes) for (const m of JSON.stringify(n.data.config).matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  return [...names].sort();
}

function outputSchemaOf(n: AppNode, catalog: Catalog): JSONSchema | undefined {
  if (n.data.type === 'trigger') return n.data.config.inputSchema as JSONSchema | undefined;
  return catalog[n.data.type]?.outputSchema as JSONSchema | undefined;
}

function fromSchema(path: string, schema: JSONSchema, depth: number, add: (s: Suggestion) => void) {
  if (depth >= MAX_DEPTH) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const p = `${path}.${segment(key)}`;
    add({ path: p, detail: typeLabel(prop), source: 'schema' });
    fromSchema(p, prop, depth + 1, add);
  }
}

function fromValue(path: string, value: unknown, depth: number, add: (s: Suggestion) => void) {
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    const first = value.find((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (first) fromValue(`${path}[]`, first, depth, add);
    return;
  }
  for (const [key, v] of Object.entries(value).slice(0, 50)) {
    const p = `${path}.${segment(key)}`;
    add({ path: p, detail: preview(v), source: 'run' });
    fromValue(p, v, depth + 1, add);
  }
}

/** JMESPath needs quotes around keys that are not identifiers. */
const segment = (key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key));

function typeLabel(s: JSONSchema): string {
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function preview(v: unknown): string {
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'object';
  const text = JSON.stringify(v) ?? 'null';
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}

/** Where a completion applies in `text` with the caret at `caret`: the token typed so far and its range. */
export interface Completion {
  from: number;
  to: number;
  query: string;
  /** True when the token is inside `{{ }}` and the closing braces still have to be added. */
  close: boolean;
}

/** In template text: the path typed after an unclosed `{{` before the caret. */
export function templateToken(text: string, caret: number): Completion | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return null;
  const inner = before.slice(open + 2);
  if (!/^\s*[\w.[\]"-]*$/.test(inner)) return null;
  const lead = inner.length - inner.trimStart().length;
  const closed = /^\s*[\w.[\]"-]*\s*}}/.test(text.slice(caret));
  return { from: open + 2 + lead, to: caret, query: inner.trimStart(), close: !closed };
}

/** In a JMESPath expression: the path being typed right before the caret. */
export function expressionToken(text: string, caret: number): Completion | null {
  const m = /[A-Za-z_][\w.[\]"-]*$/.exec(text.slice(0, caret));
  if (!m) return null;
  return { from: caret - m[0].length, to: caret, query: m[0], close: false };
}

/** Suggestions matching a query: prefix matches first, then substring matches. */
export function rank(all: Suggestion[], query: string, limit = 12): Suggestion[] {
  const q = query.toLowerCase();
  const prefix = all.filter((s) => s.path.toLowerCase().startsWith(q));
  const inner = all.filter((s) => !s.path.toLowerCase().startsWith(q) && s.path.toLowerCase().includes(q));
  return [...prefix, ...inner].filter((s) => s.path !== query).slice(0, limit);
}
