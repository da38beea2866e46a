import { compile, TreeInterpreter, TYPE_EXPREF, type JSONValue } from '@jmespath-community/jmespath';
import { walk, type ExpressionNode } from './ast';
import { evaluationError, ExpressionError, syntaxError, type ExpressionErrorKind } from './errors';
import { normalizeExpression } from './lexical';
import { LruCache } from './lru';
import { useLinearTrim } from './trim';

export { ExpressionError } from './errors';
export type { ExpressionErrorKind } from './errors';

type Interpreter = typeof TreeInterpreter;

/**
 * Our own interpreter instance, so that functions registered on the library's shared singleton
 * elsewhere in the process never leak into workflows.
 *
 * Field access is overridden: the library reads `value[name]`, so `constructor` or `toString`
 * on a JSON object without that key yields an inherited function instead of null. JSON
 * semantics only know own properties. `withScope` (used by `let`) builds a fresh interpreter,
 * which gets the same treatment.
 */
function hardened(interpreter: Interpreter): Interpreter {
  const visit = interpreter.visit;
  const withScope = interpreter.withScope;
  interpreter.visit = function (this: Interpreter, node, value) {
    if (node.type !== 'Field') return visit.call(this, node, value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return Object.hasOwn(value, node.name) ? ((value as Record<string, JSONValue>)[node.name] ?? null) : null;
  };
  interpreter.withScope = function (this: Interpreter, scope) {
    return hardened(withScope.call(this, scope));
  };
  return interpreter;
}

const InterpreterClass = TreeInterpreter.constructor as new () => Interpreter;
const interpreter = hardened(new InterpreterClass());
useLinearTrim(interpreter.runtime._functionTable);

type Compiled = { ok: true; ast: ExpressionNode } | { ok: false; error: ExpressionError };

/** How many distinct compiled expressions (valid or not) are kept. */
export const EXPRESSION_CACHE_SIZE = 1000;
const cache = new LruCache<string, Compiled>(EXPRESSION_CACHE_SIZE);

function compileCached(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (compiled === undefined) {
    try {
      compiled = { ok: true, ast: compile(normalizeExpression(expression)) };
    } catch (error) {
      compiled = { ok: false, error: syntaxError(error, expression) };
    }
    cache.set(expression, compiled);
  }
  return compiled;
}

/** Compiles `expression` (cached); throws a syntax ExpressionError. */
export function parseExpression(expression: string): ExpressionNode {
  const compiled = compileCached(expression);
  if (!compiled.ok) throw compiled.error;
  return compiled.ast;
}

/**
 * Evaluates a JMESPath expression against JSON data. Missing paths yield null.
 * Throws ExpressionError (`kind` says which of the specification's errors it is).
 */
export function evaluate(expression: string, data: unknown): unknown {
  const ast = parseExpression(expression);
  try {
    return interpreter.search(ast, data as JSONValue);
  } catch (error) {
    throw evaluationError(error, expression);
  }
}

export type SyntaxCheck =
  | { ok: true }
  | { ok: false; message: string; offset?: number; kind: ExpressionErrorKind };

/**
 * Checks an expression without evaluating it, for publish time: syntax, plus calls to unknown
 * functions and calls with the wrong number of arguments (errors the spec raises at run time
 * but that no data can fix).
 */
export function checkSyntax(expression: string): SyntaxCheck {
  let ast: ExpressionNode;
  try {
    ast = parseExpression(expression);
  } catch (error) {
    const e = error as ExpressionError;
    return { ok: false, kind: e.kind, message: e.message, ...(e.offset === undefined ? {} : { offset: e.offset }) };
  }
  const problem = functionProblem(ast);
  return problem ? { ok: false, ...problem } : { ok: true };
}

function functionProblem(ast: ExpressionNode): { kind: ExpressionErrorKind; message: string } | undefined {
  let problem: { kind: ExpressionErrorKind; message: string } | undefined;
  walk(ast, (node) => {
    if (problem || node.type !== 'Function') return;
    const entry = interpreter.runtime._functionTable[node.name];
    if (!entry) {
      problem = { kind: 'unknown-function', message: `Unknown function: ${node.name}()` };
      return;
    }
    // Same rule as the library's own arity check, applied to the argument count.
    const signature = entry._signature;
    const required = signature.filter((arg) => !arg.optional).length;
    const variadic = signature.at(-1)?.variadic ?? false;
    const count = node.children.length;
    if (count < required || (!variadic && count > signature.length)) {
      const expected = variadic
        ? `at least ${required}`
        : required === signature.length
          ? `${required}`
          : `${required} to ${signature.length}`;
      problem = {
        kind: 'invalid-arity',
        message: `Invalid arity: ${node.name}() takes ${expected} argument(s) but received ${count}`,
      };
    }
  });
  return problem;
}

/** One parameter of a function expressions may call: `expref` when it takes `&expression`. */
export interface FunctionParameter {
  expref: boolean;
  optional: boolean;
  variadic: boolean;
}

/** Every function expressions may call, by name, with its parameters (the interpreter's own table). */
export function functionTable(): ReadonlyMap<string, readonly FunctionParameter[]> {
  const table = new Map<string, FunctionParameter[]>();
  for (const [name, entry] of Object.entries(interpreter.runtime._functionTable)) {
    table.set(
      name,
      entry._signature.map((p) => ({ expref: p.types.includes(TYPE_EXPREF), optional: p.optional ?? false, variadic: p.variadic ?? false })),
    );
  }
  return table;
}
