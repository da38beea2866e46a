import { TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import type { ExpressionNode } from './ast';
import { deepEqual } from './deep-equal';
import { budgetFunctionTable } from './functions';
import { meter } from './meter';
import { isFalse } from './truthiness';

type Interpreter = typeof TreeInterpreter;

/** Steps a `let` is charged for the interpreter it builds (see withScope below). */
export const LET_COST = 100;
type Visit = (node: ExpressionNode, value: JSONValue) => JSONValue;

/** How a node is named in a budget message. */
function describe(node: ExpressionNode): string {
  switch (node.type) {
    case 'Function':
      return `${node.name}()`;
    case 'Projection':
    case 'ValueProjection':
      return 'a projection';
    case 'FilterProjection':
      return 'a filter';
    case 'Flatten':
      return 'a flatten ([])';
    case 'Slice':
      return 'a slice';
    case 'Comparator':
      return 'a comparison';
    default:
      return `an expression (${node.type})`;
  }
}

/**
 * Our own interpreter instance, so that functions registered on the library's shared singleton
 * elsewhere in the process never leak into workflows, and so that every visit draws on the
 * budget of the evaluation under way (`meter`):
 *
 * - Each visit is one step: a long evaluation is cut by the step limit.
 * - Field access reads own properties only: the library reads `value[name]`, so `constructor`
 *   or `toString` on a JSON object without that key yields an inherited function, not null.
 * - Projections, filters and slices are charged for what they build (never more than they read);
 *   a flatten is measured before it is built (200,000 references to one 200,000-element array
 *   flatten to 4 × 10^10 elements); `==` compares without recursion, charged per value; truthiness
 *   (filters, `&&`, `||`, `!`, `? :`) lists an object's keys once per step, charged.
 * - `withScope` (used by `let`) builds a fresh interpreter, which gets the same treatment.
 */
function budgeted(interpreter: Interpreter): Interpreter {
  const visit = interpreter.visit as unknown as Visit;
  const withScope = interpreter.withScope;
  interpreter.visit = function (this: Interpreter, node: ExpressionNode, value: JSONValue): JSONValue {
    const budget = meter.budget;
    if (++budget.steps > budget.maxSteps) budget.outOfSteps(describe(node));
    switch (node.type) {
      case 'Field':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
        return Object.hasOwn(value, node.name) ? ((value as Record<string, JSONValue>)[node.name] ?? null) : null;
      case 'Projection':
      case 'ValueProjection':
      case 'Slice': {
        const result = visit.call(this, node, value);
        // A slice copies (a string slice first spreads the string into code points).
        if (node.type === 'Slice') budget.work(typeof value === 'string' ? value.length : Array.isArray(result) ? result.length : 0, 'a slice');
        // No bigger than what it read: charged as memory, never refused for its size.
        if (Array.isArray(result)) budget.array(result.length, describe(node), 'array', Infinity);
        else if (typeof result === 'string' && node.type === 'Slice') budget.string(result.length, describe(node), Infinity);
        return result;
      }
      case 'FilterProjection': {
        const base = (this.visit(node.left, value) as JSONValue);
        if (!Array.isArray(base)) return null;
        const results: JSONValue[] = [];
        for (const elem of base) {
          if (isFalse(this.visit(node.condition, elem) as JSONValue, budget)) continue;
          const result = (this.visit(node.right, elem) as JSONValue);
          if (result !== null) results.push(result);
        }
        budget.array(results.length, 'a filter', 'array', Infinity);
        return results;
      }
      case 'Flatten': {
        const original = (this.visit(node.child, value) as JSONValue);
        if (!Array.isArray(original)) return null;
        let total = 0;
        for (const item of original) total += Array.isArray(item) ? item.length : 1;
        budget.work(original.length, 'a flatten ([])');
        budget.array(total, 'a flatten ([])', 'array', original.length);
        return original.flat() as JSONValue;
      }
      case 'Comparator':
        if (node.name === 'EQ' || node.name === 'NE') {
          const equal = deepEqual((this.visit(node.left, value) as JSONValue), (this.visit(node.right, value) as JSONValue), budget);
          return node.name === 'EQ' ? equal : !equal;
        }
        return visit.call(this, node, value);
      case 'NotExpression':
        return isFalse(this.visit(node.child, value) as JSONValue, budget);
      case 'AndExpression': {
        const left = (this.visit(node.left, value) as JSONValue);
        return isFalse(left, budget) ? left : (this.visit(node.right, value) as JSONValue);
      }
      case 'OrExpression': {
        const left = (this.visit(node.left, value) as JSONValue);
        return isFalse(left, budget) ? (this.visit(node.right, value) as JSONValue) : left;
      }
      case 'Ternary':
        return isFalse(this.visit(node.condition, value) as JSONValue, budget) ? (this.visit(node.falseExpr, value) as JSONValue) : (this.visit(node.trueExpr, value) as JSONValue);
      default:
        return visit.call(this, node, value);
    }
  } as Interpreter['visit'];
  interpreter.withScope = function (this: Interpreter, scope) {
    // A `let` builds a whole interpreter with its function table: ~75 times an ordinary step
    // (measured: a million lets took 9 s on 4 million steps).
    meter.budget.work(LET_COST, 'a let');
    return budgeted(withScope.call(this, scope));
  };
  return interpreter;
}

const InterpreterClass = TreeInterpreter.constructor as new () => Interpreter;

/** The one interpreter of the engine, with every function of its table budgeted. */
export const interpreter = budgeted(new InterpreterClass());
budgetFunctionTable(interpreter.runtime._functionTable as never, (node, value) => interpreter.visit(node, value) as JSONValue);
