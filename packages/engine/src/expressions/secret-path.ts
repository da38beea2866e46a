import { childNodes, type ExpressionNode } from './ast';

/** The context key under which an executor step's resolved secrets are handed to the renderer. */
export const SECRETS_ROOT = 'secrets';

const isField = (node: ExpressionNode, name?: string): node is Extract<ExpressionNode, { type: 'Field' }> =>
  node.type === 'Field' && (name === undefined || (node as { name?: string }).name === name);

/**
 * The secret name when the expression is exactly `secrets.NAME` (an allow-list of one shape:
 * Subexpression(Field secrets, Field NAME)), else undefined. `"secrets".NAME` and
 * `(secrets.NAME)` parse to the same tree and are the same thing.
 */
export function bareSecretName(ast: ExpressionNode): string | undefined {
  if (ast.type !== 'Subexpression' || !isField(ast.left, SECRETS_ROOT) || !isField(ast.right)) return undefined;
  return ast.right.name;
}

/**
 * Whether an expression reads the `secrets` root of the context at all, in any spelling that
 * names it: `secrets…` evaluated against the context, `$.secrets…` (anywhere: `$` is always the
 * context) and `@.secrets…` at the top. A field called `secrets` of something else
 * (`input.secrets`, `items[?secrets]`) is not the root.
 */
export function readsSecretsRoot(ast: ExpressionNode): boolean {
  // An explicit stack: a deeply nested expression must not overflow the call stack here.
  const stack: [ExpressionNode, boolean][] = [[ast, true]];
  while (stack.length > 0) {
    const [node, atRoot] = stack.pop()!;
    if (atRoot && isField(node, SECRETS_ROOT)) return true;
    if (node.type === 'Subexpression' && isField(node.right, SECRETS_ROOT)) {
      const left = node.left.type;
      if (left === 'Root' || (atRoot && (left === 'Current' || left === 'Identity'))) return true;
    }
    for (const [child, sameInput] of childNodes(node)) stack.push([child, atRoot && sameInput]);
  }
  return false;
}
