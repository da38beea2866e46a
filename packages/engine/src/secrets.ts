import { SECRET_NAME_PATTERN } from '@weft/workflow-schema';
import { childNodes, type ExpressionNode } from './expressions/ast';
import { parseExpression } from './expressions/jmespath';
import { templateExpressions } from './expressions/template';

/**
 * Node types whose templates may read `{{ secrets.NAME }}`: they run in the executor, which
 * resolves the secrets a node names right before it runs and masks them in what it keeps. The
 * others run inside the orchestrator's transition (pure nodes, control nodes) or store what
 * they render (approval prompts, child inputs), so a secret there is refused at publish.
 */
export const SECRET_NODE_TYPES: ReadonlySet<string> = new Set([
  'http_request',
  'function',
  'llm_completion',
  'slack_message',
  'google_sheets_append',
  'send_email',
  'webhook_out',
]);

/** One use of `secrets` in a template. */
export interface SecretUse {
  /** Path of the string inside the value (`headers.authorization`). */
  path: string;
  expression: string;
  /** The secret named (`secrets.NAME`), absent for a use that names none. */
  name?: string;
  /** Why this use is not allowed (bare `secrets`, `secrets.*`, a name the API cannot hold). */
  problem?: string;
}

/**
 * Uses of the `secrets` root in one JMESPath expression. Only `secrets.NAME` (optionally
 * followed by more path) names a secret; anything else touching the `secrets` root is a
 * problem, because only the names found here are ever loaded.
 */
export function expressionSecretUses(expression: string): Omit<SecretUse, 'path' | 'expression'>[] {
  const uses: Omit<SecretUse, 'path' | 'expression'>[] = [];
  const visit = (node: ExpressionNode, atRoot: boolean): void => {
    if (atRoot && node.type === 'Subexpression' && isField(node.left, 'secrets')) {
      if (node.right.type === 'Field') {
        const name = node.right.name;
        uses.push(SECRET_NAME_PATTERN.test(name) ? { name } : { name, problem: `"${name}" is not a valid secret name (${SECRET_NAME_PATTERN.source})` });
        return;
      }
    }
    if (atRoot && isField(node, 'secrets')) {
      uses.push({ problem: 'secrets are read one by one, as secrets.NAME' });
      return;
    }
    for (const [child, sameInput] of childNodes(node)) visit(child, atRoot && sameInput);
  };
  visit(parseExpression(expression), true);
  return uses;
}

function isField(node: ExpressionNode, name: string): boolean {
  return node.type === 'Field' && (node as { name?: string }).name === name;
}

/** Every use of `secrets` in the templates inside a config value (syntax errors are skipped: compile reports them). */
export function templateSecretUses(value: unknown): SecretUse[] {
  const out: SecretUse[] = [];
  for (const t of templateExpressions(value)) {
    let uses: Omit<SecretUse, 'path' | 'expression'>[];
    try {
      uses = expressionSecretUses(t.expression);
    } catch {
      continue;
    }
    for (const u of uses) out.push({ path: t.path, expression: t.expression, ...u });
  }
  return out;
}

/** The distinct valid secret names a node's config templates read, sorted. */
export function referencedSecretNames(config: unknown): string[] {
  const names = new Set<string>();
  for (const u of templateSecretUses(config)) if (u.name && !u.problem) names.add(u.name);
  return [...names].sort();
}
