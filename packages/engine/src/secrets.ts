import { SECRET_NAME_PATTERN, typesWith } from '@weft/workflow-schema';
import { parseExpression } from './expressions/jmespath';
import { bareSecretName, readsSecretsRoot } from './expressions/secret-path';
import { templateExpressions } from './expressions/template';

/**
 * Node types whose templates may read `{{ secrets.NAME }}`: those whose kind has the `secrets`
 * trait in the catalog (executor steps), because the executor resolves the secrets a node names
 * right before it runs and masks them in what it keeps. The others run inside the orchestrator's
 * transition (pure nodes, control nodes) or store what they render (approval prompts, child
 * inputs), so a secret there is refused at publish.
 */
export const SECRET_NODE_TYPES = typesWith('secrets');

/**
 * Fields of other node types that executors resolve apart, never rendered in a transition nor
 * stored rendered: an approval's Slack webhook (its notice is sent by the alerts worker, which
 * resolves the secret there: docs/approvals.md).
 */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = { wait_for_approval: ['notify.slack.webhookUrl'] };

/** Whether a node of `type` may read a secret at `path` of its config (a bare `secrets.NAME` still required). */
export const secretAllowedAt = (type: string, path: string): boolean => SECRET_NODE_TYPES.has(type) || (SECRET_FIELDS[type]?.includes(path) ?? false);

/** Why a use of `secrets` is refused: the name is impossible, or the secret is reshaped. */
export type SecretUseRule = 'invalid_secret_reference' | 'secret_reshaped';

/** One use of `secrets` in a template. */
export interface SecretUse {
  /** Path of the string inside the value (`headers.authorization`). */
  path: string;
  expression: string;
  /** The secret named by a bare `secrets.NAME`; absent for any other use. */
  name?: string;
  /** Why this use is not allowed (reshaped, bare `secrets`, a name the API cannot hold). */
  problem?: string;
  /** The rule the problem breaks, as the publish error's code. */
  rule?: SecretUseRule;
}

/**
 * The one rule for secrets in templates: a template expression that reads the `secrets` root
 * must be exactly the bare path `secrets.NAME`, alone (`{{ secrets.NAME }}`) or interpolated
 * into text (`Bearer {{ secrets.NAME }}`). Anything else that takes a secret as input (a
 * function, projection, slice, index, comparison, filter, pipe, multi-select, `||`/`&&`, `let`,
 * a sub-path `secrets.NAME.x`, ...) could return a reshaped copy of the value that no masking
 * recognises, so it is refused. This is an allow-list of one shape, not a list of bad functions.
 */
export const SECRET_SHAPE_RULE =
  'a secret may only be used as the bare path secrets.NAME (alone, or inside text such as "Bearer {{ secrets.NAME }}"): no function, projection, slice, index, comparison, filter, pipe, operator or sub-path may take it as input';

/**
 * Uses of the `secrets` root in one JMESPath expression: one use when the expression is the bare
 * `secrets.NAME` (a problem if NAME is not a possible secret name), one refused use when it
 * reads the root in any other way, none otherwise. Only bare names are ever loaded.
 */
export function expressionSecretUses(expression: string): Omit<SecretUse, 'path' | 'expression'>[] {
  const ast = parseExpression(expression);
  const name = bareSecretName(ast);
  if (name !== undefined) {
    return [SECRET_NAME_PATTERN.test(name) ? { name } : { name, rule: 'invalid_secret_reference', problem: `"${name}" is not a valid secret name (${SECRET_NAME_PATTERN.source})` }];
  }
  if (!readsSecretsRoot(ast)) return [];
  if (ast.type === 'Field') return [{ rule: 'invalid_secret_reference', problem: 'secrets are read one by one, as secrets.NAME' }];
  return [{ rule: 'secret_reshaped', problem: SECRET_SHAPE_RULE }];
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
