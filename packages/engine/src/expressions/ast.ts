import type { compile } from '@jmespath-community/jmespath';

/** A compiled JMESPath expression (the library's AST; its node types are not exported). */
export type ExpressionNode = ReturnType<typeof compile>;

/**
 * The sub-expressions of `node`, each flagged with whether it is evaluated against the same
 * input as `node` itself (true) or against something derived from it (false: the right side of
 * `a.b`, a projection's elements, an expression reference's future arguments).
 */
export function childNodes(node: ExpressionNode): [child: ExpressionNode, sameInput: boolean][] {
  switch (node.type) {
    case 'Subexpression':
    case 'IndexExpression':
    case 'Pipe':
    case 'Projection':
    case 'ValueProjection':
      return [
        [node.left, true],
        [node.right, false],
      ];
    case 'FilterProjection':
      return [
        [node.left, true],
        [node.condition, false],
        [node.right, false],
      ];
    case 'AndExpression':
    case 'OrExpression':
    case 'Comparator':
    case 'Arithmetic':
      return [
        [node.left, true],
        [node.right, true],
      ];
    case 'Flatten':
    case 'NotExpression':
      return [[node.child, true]];
    case 'ExpressionReference':
      return [[node.child, false]];
    case 'Unary':
      return [[node.operand, true]];
    case 'MultiSelectList':
    case 'Function':
      return node.children.map((child) => [child, true]);
    case 'MultiSelectHash':
      return node.children.map((pair) => [pair.value, true]);
    case 'LetExpression':
      return [...node.bindings.map((b): [ExpressionNode, boolean] => [b.reference, true]), [node.expression, true]];
    case 'Binding':
      return [[node.reference, true]];
    case 'Ternary':
      return [
        [node.condition, true],
        [node.trueExpr, true],
        [node.falseExpr, true],
      ];
    default:
      // Field, Literal, Index, Slice, Current, Identity, Root, Variable: leaves.
      return [];
  }
}

/** Calls `visit` on `node` and every node below it, depth first. */
export function walk(node: ExpressionNode, visit: (node: ExpressionNode) => void): void {
  visit(node);
  for (const [child] of childNodes(node)) walk(child, visit);
}
