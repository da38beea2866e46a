import { templateSecretUses } from '@weft/engine';
import type { Issue } from '@weft/workflow-schema';

const SLOT_TEMPLATE = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A copy of `value` where every `{{ secrets.SLOT }}` reads the secret the installer mapped SLOT to. */
function rewrite(value: unknown, mapping: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return value.replace(SLOT_TEMPLATE, (whole, slot: string) => (Object.hasOwn(mapping, slot) ? `{{ secrets.${mapping[slot]} }}` : whole));
  if (Array.isArray(value)) return value.map((v) => rewrite(v, mapping));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, mapping)]));
  return value;
}

/**
 * The installed definition: each slot reference replaced by the installer's secret name. Fails
 * closed: any secret use left that is not one of the mapped names (a spelling the rewrite did not
 * recognise) is an issue, so an install never reads a secret its installer did not choose.
 */
export function bindSlots(definition: unknown, mapping: Readonly<Record<string, string>>): { definition: unknown; issues: Issue[] } {
  const bound = rewrite(definition, mapping);
  const allowed = new Set(Object.values(mapping));
  const issues: Issue[] = templateSecretUses(bound)
    .filter((u) => !u.name || !allowed.has(u.name))
    .map((u) => ({ path: u.path, code: 'unmapped_secret', message: `{{ ${u.expression} }} does not read a mapped credential` }));
  return { definition: bound, issues };
}

/**
 * The problems of an installer's mapping for `slots`: each slot mapped (`credentials.SLOT`), to a
 * secret that exists (`exists`), and no name that is not a slot.
 */
export function mappingIssues(slots: readonly string[], mapping: Readonly<Record<string, string>>, exists: (secret: string) => boolean): Issue[] {
  const issues: Issue[] = [];
  for (const slot of slots) {
    const secret = mapping[slot];
    if (secret === undefined) issues.push({ path: `credentials.${slot}`, code: 'unmapped_credential', message: `map the credential slot ${slot} to one of your secrets` });
    else if (!exists(secret)) issues.push({ path: `credentials.${slot}`, code: 'secret_not_found', message: `your org has no secret named ${secret}` });
  }
  for (const name of Object.keys(mapping)) {
    if (!slots.includes(name)) issues.push({ path: `credentials.${name}`, code: 'unknown_credential', message: `the template has no credential slot ${name}` });
  }
  return issues;
}
