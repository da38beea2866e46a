import { compile, TYPE_EXPREF, type JSONValue } from '@jmespath-community/jmespath';
import { Budget } from '../budget/budget';
import { BudgetExceededError, count } from '../budget/errors';
import { MAX_EXPRESSION_NESTING } from '../budget/limits';
import { walk, type ExpressionNode } from './ast';
import { evaluationError, ExpressionError, syntaxError, type ExpressionErrorKind } from './errors';
import { interpreter } from './interpreter';
import { normalizeExpression } from './lexical';
import { LruCache } from './lru';
import { meter } from './meter';
import { textNesting, treeDepth } from './nesting';

export { ExpressionError } from './errors';
export type { ExpressionErrorKind } from './errors';

type Compiled = { ok: true; ast: ExpressionNode } | { ok: false; error: ExpressionError | BudgetExceededError };

/** How many distinct compiled expressions (valid or not) are kept. */
export const EXPRESSION_CACHE_SIZE = 1000;
const cache = new LruCache<string, Compiled>(EXPRESSION_CACHE_SIZE);

function compileCached(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (compiled === undefined) {
    compiled = compileChecked(expression);
    cache.set(expression, compiled);
  }
  return compiled;
}

/** Compiles an expression no deeper than MAX_EXPRESSION_NESTING, measured on the text (before the recursive parser) and on the tree. */
function compileChecked(expression: string): Compiled {
  const nesting = textNesting(expression);
  if (nesting > MAX_EXPRESSION_NESTING) return { ok: false, error: tooDeep(expression, nesting) };
  let ast: ExpressionNode;
  try {
    ast = compile(normalizeExpression(expression));
  } catch (error) {
    return { ok: false, error: syntaxError(error, expression) };
  }
  const depth = treeDepth(ast, MAX_EXPRESSION_NESTING);
  return depth > MAX_EXPRESSION_NESTING ? { ok: false, error: tooDeep(expression, depth) } : { ok: true, ast };
}

/** `depth` is where the measure stopped, past the limit (not necessarily the whole depth). */
function tooDeep(expression: string, depth: number): BudgetExceededError {
  return new BudgetExceededError({
    limit: 'expression nesting',
    max: MAX_EXPRESSION_NESTING,
    actual: depth,
    message: `the expression nests more than ${count(MAX_EXPRESSION_NESTING)} levels deep (brackets, JSON literals or chained operators); the engine evaluates expressions up to ${count(MAX_EXPRESSION_NESTING)} levels deep`,
    expression,
  });
}

/** Compiles `expression` (cached); throws a syntax ExpressionError, or BudgetExceededError when it nests too deep. */
export function parseExpression(expression: string): ExpressionNode {
  const compiled = compileCached(expression);
  if (!compiled.ok) throw compiled.error;
  return compiled.ast;
}

/**
 * Evaluates a JMESPath expression against JSON data, drawing on `budget` (a fresh one with the
 * default limits when none is given). Missing paths yield null. Throws ExpressionError (`kind`
 * says which of the specification's errors it is), or BudgetExceededError naming the limit.
 */
export function evaluate(expression: string, data: unknown, budget: Budget = new Budget()): unknown {
  const ast = parseExpression(expression);
  const outer = meter.budget;
  meter.budget = budget;
  try {
    return interpreter.search(ast, data as JSONValue);
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error.in(expression);
    throw evaluationError(error, expression);
  } finally {
    meter.budget = outer;
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
    if (error instanceof BudgetExceededError) return { ok: false, kind: 'too-deep', message: error.message };
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
