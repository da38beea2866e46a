import { childNodes, type ExpressionNode } from './ast';
import { parseExpression } from './jmespath';

/** Stands for "the whole context": the expression uses `@`, `$`, `*` or similar at the top. */
export const WHOLE_CONTEXT = '*';

/**
 * The top-level context keys an expression reads (`input`, `steps`, `secrets`, ...), or
 * `WHOLE_CONTEXT` among them when it may read any key. Conservative: a key may be listed
 * that a given evaluation does not reach, never the reverse. Throws a syntax ExpressionError.
 */
export function referencedRoots(expression: string): Set<string> {
  const roots = new Set<string>();
  const visit = (node: ExpressionNode, atRoot: boolean): void => {
    if (node.type === 'Root' || (atRoot && (node.type === 'Current' || node.type === 'Identity'))) {
      roots.add(WHOLE_CONTEXT);
    } else if (atRoot && node.type === 'Field') {
      roots.add(node.name);
    }
    for (const [child, sameInput] of childNodes(node)) visit(child, atRoot && sameInput);
  };
  visit(parseExpression(expression), true);
  return roots;
}
