import { templateSecretUses } from '@weft/engine';
import { roleCan } from '@weft/workflow-schema';
import { AppError } from '../../errors';

/**
 * Publishing makes a definition runnable by every operator of the org, and a template that reads
 * `{{ secrets.NAME }}` sends that secret wherever the node points: so a definition that reads any
 * secret (in any node, for_each bodies included, in any shape) may only be published by a role
 * with `secrets:use` (editor and above). An operator or viewer can never make a workflow that
 * sends a secret somewhere. Returns the refusal, or undefined when the role may publish it.
 */
export function secretUseRefusal(role: string, definition: unknown): AppError | undefined {
  if (roleCan(role, 'secrets:use')) return undefined;
  const uses = templateSecretUses(definition);
  if (!uses.length) return undefined;
  const names = [...new Set(uses.map((u) => u.name ?? u.expression))].join(', ');
  return new AppError('forbidden', `the role "${role}" does not grant secrets:use, needed to publish a workflow that reads secrets (${names})`);
}
