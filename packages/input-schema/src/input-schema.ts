import { PatternBudgetExceeded, linearRegExp, schemaPatternIssues, withPatternBudget } from '@weft/linear-regex';
import { nodeKind, type Issue } from '@weft/workflow-schema';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Every `pattern` / `patternProperties` of a user's schema runs in RE2 (linear time): a pattern like
// `^(x+x+)+y$` would otherwise backtrack for hours on 50 characters and block the gateway's event loop
// for everyone. ajv-formats' own regexes are trusted code and stay native.
// `addUsedSchema: false` and `compileIsolated`: one instance serves every org, so nothing of a
// user's schema may stay registered in it (see compileIsolated).
const ajv = new Ajv2020({ allErrors: true, strict: false, addUsedSchema: false, code: { regExp: linearRegExp } });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const cache = new Map<string, ValidateFunction>();

/**
 * Compiles one user schema on its own. Ajv keeps schemas by `$id` for the whole instance, so
 * another org's schema could `$ref` this one (and read its contents back in the errors), a second
 * compile of the same `$id` would fail, and every compiled schema would stay in Ajv's cache
 * forever. So the top-level `$id` is dropped (a `$ref` to another schema's id does not resolve),
 * and the schema is removed from Ajv's cache once compiled: the validator lives as long as the
 * caller keeps it.
 */
function compileIsolated(schema: unknown): ValidateFunction {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ajv.compile(schema as object);
  const own: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  delete own.$id;
  try {
    return ajv.compile(own);
  } finally {
    ajv.removeSchema(own);
  }
}

/** A version's trigger inputSchema that cannot check inputs (a pattern RE2 cannot run): the gateway answers `invalid_definition`. */
export class UnusableInputSchema extends Error {
  constructor(
    message: string,
    readonly issues: Issue[],
  ) {
    super(message);
    this.name = 'UnusableInputSchema';
  }
}

/** A trigger's inputSchema in a definition, where it is, and the node errors are reported on. */
interface TriggerSchema {
  schema: unknown;
  path: string;
  nodeId: string;
}

/**
 * Every trigger inputSchema of a definition, for_each bodies included (at any depth). Inside a
 * body, issues name the outermost for_each node, as the engine's compile does.
 */
export function triggerSchemas(definition: { nodes: readonly { id: string; type: string; config?: Record<string, unknown> }[] }): TriggerSchema[] {
  const out: TriggerSchema[] = [];
  const stack: { nodes: readonly unknown[]; prefix: string; ownerId?: string }[] = [{ nodes: definition.nodes, prefix: '' }];
  while (stack.length) {
    const { nodes, prefix, ownerId } = stack.pop()!;
    nodes.forEach((raw, i) => {
      const n = raw as { id?: unknown; type?: unknown; config?: Record<string, unknown> };
      const at = `${prefix}nodes[${i}].config`;
      const nodeId = ownerId ?? String(n.id);
      if (n.type === 'trigger' && n.config?.inputSchema !== undefined) out.push({ schema: n.config.inputSchema, path: `${at}.inputSchema`, nodeId });
      const body = typeof n.type === 'string' && nodeKind(n.type) === 'loop' ? (n.config?.body as { nodes?: unknown } | undefined) : undefined;
      if (Array.isArray(body?.nodes)) stack.push({ nodes: body.nodes, prefix: `${at}.body.`, ownerId: nodeId });
    });
  }
  return out;
}

/**
 * Checks a trigger's inputSchema at publish: every regular expression in it must run in the
 * linear-time engine (each refusal names the pattern's own path), and the schema must compile.
 */
export function checkInputSchema({ schema, path, nodeId }: TriggerSchema): Issue[] {
  const patterns = schemaPatternIssues(schema);
  if (patterns.length) return patterns.map((p) => ({ path: `${path}.${p.path}`, code: 'unsupported_pattern', message: p.message, nodeId }));
  try {
    compileIsolated(schema);
    return [];
  } catch (err) {
    return [{ path, code: 'invalid_input_schema', message: (err as Error).message, nodeId }];
  }
}

/** Validates run inputs against the trigger's inputSchema (cached per workflow version). */
export function validateInputs(versionId: string, schema: unknown, inputs: unknown, trigger?: { path: string; nodeId: string }): Issue[] {
  if (!schema) return [];
  let validate = cache.get(versionId);
  if (!validate) {
    validate = compileForRun(schema, trigger ?? { path: 'inputSchema', nodeId: 'trigger' });
    if (cache.size > 1000) cache.clear();
    cache.set(versionId, validate);
  }
  try {
    // One budget of pattern matching per request (packages/linear-regex/src/budget.ts).
    if (withPatternBudget(() => validate(inputs))) return [];
  } catch (err) {
    if (err instanceof PatternBudgetExceeded) return [{ path: 'inputs', code: 'pattern_budget_exceeded', message: err.message }];
    throw err;
  }
  return (validate.errors ?? []).map((e) => ({
    path: `inputs${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`,
    code: e.keyword,
    message: e.message ?? 'invalid',
  }));
}

/**
 * A version published before patterns were checked may hold one RE2 cannot run (a lookahead):
 * its inputs cannot be checked, so the run is refused with where the pattern is, never a 500.
 */
function compileForRun(schema: unknown, trigger: { path: string; nodeId: string }): ValidateFunction {
  const issues = checkInputSchema({ schema, ...trigger });
  if (issues.length) {
    throw new UnusableInputSchema(`this version's trigger inputSchema cannot be used (publish a new version): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return compileIsolated(schema);
}

/**
 * The issues of run inputs against a version's trigger inputSchema (none: no trigger, or they
 * pass), each naming the trigger node. Throws UnusableInputSchema when the schema cannot be used.
 * What POST /v1/runs, schedules and webhook deliveries check.
 */
export function triggerInputIssues(versionId: string, definition: { nodes: readonly { id: string; type: string; config?: unknown }[] }, inputs: unknown): Issue[] {
  const at = definition.nodes.findIndex((n) => n.type === 'trigger');
  const trigger = definition.nodes[at];
  if (!trigger) return [];
  const schema = (trigger.config as { inputSchema?: unknown } | undefined)?.inputSchema;
  return validateInputs(versionId, schema, inputs, { path: `nodes[${at}].config.inputSchema`, nodeId: trigger.id }).map((i) => ({ ...i, nodeId: trigger.id }));
}
