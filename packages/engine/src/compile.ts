import {
  BRANCHING_TYPES,
  ERROR_HANDLE,
  GraphSchema,
  hasErrorHandle,
  WorkflowDefinitionSchema,
  isNodeType,
  isOfKind,
  nodeKind,
  nodeTypes,
  type Issue,
  type PiiSettings,
  type RetryPolicy,
  type WorkflowDefinition,
} from '@weft/workflow-schema';
import { checkSyntax, checkTemplate, referencedRoots } from './expressions';
import { WorkflowGraph, findCycles, topologicalOrder, type CompiledEdge, type CompiledNode } from './graph';
import { formatPath, zodIssues } from './issues';
import { piiSettingsIssues } from './pii-settings';
import { SECRET_NODE_TYPES, secretAllowedAt, templateSecretUses } from './secrets';

export type CompileResult = { ok: true; graph: WorkflowGraph } | { ok: false; errors: Issue[] };

export interface CompileOptions {
  /**
   * A version already published, loaded to run: the publish rules that came after it may have
   * been published under (a reshaped secret) do not stop it from loading; the executor refuses
   * those steps at run time instead, so the run fails with a clear step error.
   */
  stored?: boolean;
}

/** Publish rules a stored version is not held to when loaded (see CompileOptions.stored). */
const PUBLISH_ONLY_CODES: ReadonlySet<string> = new Set(['secret_reshaped', 'expression_too_deep']);

/**
 * The issue code of an expression that does not compile: `expression_too_deep` for one nested
 * past what the engine evaluates, publish-only, so that a version published before that limit
 * still loads and its step fails with budget_exceeded instead of the whole run being stuck.
 */
const expressionCode = (kind: string) => (kind === 'too-deep' ? 'expression_too_deep' : 'invalid_expression');

/**
 * Validates a workflow definition and builds its graph. Every problem is reported (not only the
 * first), each with the path inside the definition and the id of the node it belongs to.
 */
export function compile(definition: unknown, options: CompileOptions = {}): CompileResult {
  const parsed = WorkflowDefinitionSchema.safeParse(definition);
  if (!parsed.success) return { ok: false, errors: withNodeIds(zodIssues(parsed.error, []), definition) };
  const def = parsed.data;
  const found: Issue[] = [];
  const compiled = compileGraph(def, [], found, undefined, def.settings?.pii);
  const errors = options.stored ? found.filter((e) => !PUBLISH_ONLY_CODES.has(e.code)) : found;
  if (def.settings?.output) {
    const syntax = checkSyntax(def.settings.output);
    if (!syntax.ok) {
      if (!(options.stored && syntax.kind === 'too-deep')) errors.push({ path: 'settings.output', code: expressionCode(syntax.kind), message: syntax.message });
    } else if (referencedRoots(def.settings.output).has('secrets')) {
      errors.push({ path: 'settings.output', code: 'secret_not_allowed', message: 'the run output cannot read secrets' });
    }
  }
  errors.push(...piiSettingsIssues(def));
  if (errors.length > 0 || !compiled) return { ok: false, errors };
  return { ok: true, graph: new WorkflowGraph(compiled.nodes, compiled.edges, compiled.triggerId, def) };
}

/** Compiles a graph that is already known to be a WorkflowDefinition (a stored version, loaded to run). */
export function compileOrThrow(definition: unknown): WorkflowGraph {
  const r = compile(definition, { stored: true });
  if (!r.ok) throw new Error(`invalid workflow: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.graph;
}

interface Compiled {
  nodes: CompiledNode[];
  edges: CompiledEdge[];
  triggerId: string;
}

function compileGraph(
  def: Pick<WorkflowDefinition, 'nodes' | 'edges'>,
  prefix: readonly PropertyKey[],
  errors: Issue[],
  ownerId?: string,
  /** The root workflow's settings.pii, carried by every body graph compiled inside it. */
  rootPii?: PiiSettings,
): Compiled | undefined {
  const at = (...rest: PropertyKey[]) => formatPath([...prefix, ...rest]);
  const issue = (path: string, code: string, message: string, nodeId?: string) =>
    errors.push({ path, code, message, ...(nodeId ?? ownerId ? { nodeId: ownerId ?? nodeId } : {}) });
  const before = errors.length;

  const nodes: CompiledNode[] = [];
  const seen = new Map<string, number>();
  def.nodes.forEach((n, i) => {
    if (seen.has(n.id)) {
      issue(at('nodes', i, 'id'), 'duplicate_id', `node id "${n.id}" is already used by nodes[${seen.get(n.id)}]`, n.id);
      return;
    }
    seen.set(n.id, i);
    if (!isNodeType(n.type)) {
      issue(at('nodes', i, 'type'), 'unknown_node_type', `unknown node type "${n.type}"`, n.id);
      return;
    }
    const spec = nodeTypes[n.type];
    const cfg = spec.config.safeParse(n.config);
    if (!cfg.success) {
      errors.push(...zodIssues(cfg.error, [...prefix, 'nodes', i, 'config'], ownerId ?? n.id));
      return;
    }
    const config = cfg.data as Record<string, unknown>;
    checkExpressions(n.id, n.type, config, spec.expressionFields, [...prefix, 'nodes', i, 'config'], errors, ownerId);
    // A loop's body is an inline graph, compiled here once and kept on the node (iteration runs use it).
    let body: WorkflowGraph | undefined;
    if (isOfKind(n.type, 'loop')) {
      const parsedBody = GraphSchema.safeParse(config.body);
      if (!parsedBody.success) {
        errors.push(...zodIssues(parsedBody.error, [...prefix, 'nodes', i, 'config', 'body'], ownerId ?? n.id));
      } else {
        const c = compileGraph(parsedBody.data, [...prefix, 'nodes', i, 'config', 'body'], errors, ownerId ?? n.id, rootPii);
        if (c) body = new WorkflowGraph(c.nodes, c.edges, c.triggerId, parsedBody.data, rootPii);
      }
    }
    nodes.push({
      id: n.id,
      type: n.type,
      config,
      join: (config.join as 'all' | 'any' | undefined) ?? 'all',
      ...(config.retry ? { retry: config.retry as RetryPolicy } : {}),
      // A waiting node's timeoutMs is how long it waits (a durable timer), not a limit on a step's execution.
      ...(typeof config.timeoutMs === 'number' && nodeKind(n.type) !== 'waiting'
        ? { timeoutMs: config.timeoutMs }
        : {}),
      ...(body ? { body } : {}),
    });
  });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: CompiledEdge[] = [];
  const edgeKeys = new Set<string>();
  def.edges.forEach((e, j) => {
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!seen.has(e.source)) issue(at('edges', j, 'source'), 'dangling_edge', `edge source "${e.source}" is not a node`);
    if (!seen.has(e.target)) issue(at('edges', j, 'target'), 'dangling_edge', `edge target "${e.target}" is not a node`);
    if (!source || !target) return;
    if (target.type === 'trigger') {
      issue(at('edges', j, 'target'), 'edge_into_trigger', 'a trigger cannot have incoming edges', target.id);
      return;
    }
    const handles: readonly string[] = isNodeType(source.type) ? nodeTypes[source.type].handles : [];
    if (e.sourceHandle === ERROR_HANDLE && !hasErrorHandle(source.type)) {
      issue(at('edges', j, 'sourceHandle'), 'no_error_handle', `node "${source.id}" (${source.type}) has no error handle: its failures cannot be caught by an edge`, source.id);
      return;
    }
    if (e.sourceHandle !== undefined && e.sourceHandle !== ERROR_HANDLE && !handles.includes(e.sourceHandle)) {
      const named = hasErrorHandle(source.type) ? [...handles, ERROR_HANDLE] : handles;
      const quoted = named.map((h) => `"${h}"`);
      const allowed = quoted.length > 1 ? `one of ${quoted.join(', ')}` : quoted.length ? `only the handle ${quoted[0]}` : 'no handle';
      issue(at('edges', j, 'sourceHandle'), 'invalid_handle', `"${source.type}" has ${allowed}, not "${e.sourceHandle}"`, source.id);
      return;
    }
    if (e.sourceHandle === undefined && BRANCHING_TYPES.has(source.type)) {
      issue(at('edges', j, 'sourceHandle'), 'missing_handle', `edges leaving a ${source.type} need a sourceHandle (${handles.join(' or ')})`, source.id);
      return;
    }
    const key = `${e.source}\u0000${e.target}\u0000${e.sourceHandle ?? ''}`;
    if (edgeKeys.has(key)) {
      issue(at('edges', j), 'duplicate_edge', `edge ${e.source} → ${e.target} appears twice`, e.target);
      return;
    }
    edgeKeys.add(key);
    edges.push({ source: e.source, target: e.target, ...(e.sourceHandle !== undefined ? { handle: e.sourceHandle } : {}) });
  });

  const triggers = nodes.filter((n) => n.type === 'trigger');
  if (triggers.length !== 1) {
    issue(at('nodes'), 'trigger_count', `a workflow needs exactly one trigger node, found ${triggers.length}${triggers.length ? ` (${triggers.map((t) => t.id).join(', ')})` : ''}`);
  }

  const ids = nodes.map((n) => n.id);
  const outgoing = new Map<string, CompiledEdge[]>(ids.map((id) => [id, []]));
  for (const e of edges) outgoing.get(e.source)!.push(e);
  if (!topologicalOrder(ids, outgoing)) {
    for (const cycle of findCycles(ids, outgoing)) {
      issue(at('edges'), 'cycle', `cycle: ${[...cycle, cycle[0]].join(' → ')}`, cycle[0]);
    }
  } else if (triggers.length === 1) {
    const reached = new Set([triggers[0]!.id]);
    const todo = [triggers[0]!.id];
    while (todo.length) {
      for (const e of outgoing.get(todo.pop()!) ?? []) {
        if (reached.has(e.target)) continue;
        reached.add(e.target);
        todo.push(e.target);
      }
    }
    def.nodes.forEach((n, i) => {
      if (byId.has(n.id) && !reached.has(n.id)) {
        issue(at('nodes', i), 'unreachable', `node "${n.id}" cannot be reached from the trigger`, n.id);
      }
    });
  }
  // A publish-only problem does not stop the graph from being built (a stored version loads).
  if (errors.slice(before).some((e) => !PUBLISH_ONLY_CODES.has(e.code)) || triggers.length !== 1) return undefined;
  return { nodes, edges, triggerId: triggers[0]!.id };
}

function checkExpressions(
  nodeId: string,
  type: string,
  config: Record<string, unknown>,
  expressionFields: readonly string[],
  prefix: readonly PropertyKey[],
  errors: Issue[],
  ownerId?: string,
) {
  const report = (path: string, message: string, kind = 'syntax') =>
    errors.push({ path, code: expressionCode(kind), message, nodeId: ownerId ?? nodeId });
  for (const field of expressionFields) {
    const expr = config[field];
    if (typeof expr !== 'string') continue;
    const r = checkSyntax(expr);
    if (!r.ok) report(formatPath([...prefix, field]), `invalid JMESPath in ${field}: ${r.message}`, r.kind);
    // (A transform with `input` evaluates its expression against that value, not the context.)
    else if (!(type === 'transform' && config.input !== undefined) && referencedRoots(expr).has('secrets')) {
      errors.push({ path: formatPath([...prefix, field]), code: 'secret_not_allowed', message: `${field} is an expression: secrets are only readable as {{ secrets.NAME }} templates of steps that run in the executor`, nodeId: ownerId ?? nodeId });
    }
  }
  // Only a loop's `body` is an inline graph (compiled on its own); http_request's is a templated value.
  const templated = { ...config };
  if (isOfKind(type, 'loop')) delete templated.body;
  for (const field of expressionFields) delete templated[field];
  for (const t of checkTemplate(templated)) {
    const path = t.path ? `${formatPath(prefix)}.${t.path}`.replace(/\.\[/g, '[') : formatPath(prefix);
    report(path, `invalid JMESPath in template {{ ${t.expression} }}: ${t.message}`, t.kind);
  }
  // Secrets resolve only in executor steps, and only as the bare path secrets.NAME (the names
  // are what is loaded; any other shape could reshape the value past masking: secrets.ts).
  for (const use of templateSecretUses(templated)) {
    const allowed = secretAllowedAt(type, use.path);
    if (allowed && !use.problem) continue;
    const path = use.path ? `${formatPath(prefix)}.${use.path}`.replace(/\.\[/g, '[') : formatPath(prefix);
    errors.push(
      allowed
        ? { path, code: use.rule ?? 'invalid_secret_reference', message: `{{ ${use.expression} }}: ${use.problem}`, nodeId: ownerId ?? nodeId }
        : { path, code: 'secret_not_allowed', message: `a ${type} node cannot read secrets ({{ ${use.expression} }}); use them in ${[...SECRET_NODE_TYPES].join(', ')} nodes`, nodeId: ownerId ?? nodeId },
    );
  }
}

/** Adds nodeId to schema-level issues under nodes[i] when the raw definition names that node. */
function withNodeIds(issues: Issue[], raw: unknown): Issue[] {
  const nodes = (raw as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return issues;
  return issues.map((i) => {
    const m = /^nodes\[(\d+)\]/.exec(i.path);
    const id = m ? (nodes[Number(m[1])] as { id?: unknown } | undefined)?.id : undefined;
    return typeof id === 'string' && !i.nodeId ? { ...i, nodeId: id } : i;
  });
}
