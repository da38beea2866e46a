import { renderTemplate, type Budget, type RunContext } from '@weft/engine';
import { invalidInput } from '../../errors';

/** Renders a config field that must be text (numbers are accepted and stringified), within the step's budget. */
export function text(config: Record<string, unknown>, key: string, ctx: RunContext, budget: Budget): string {
  const v = renderTemplate(config[key], ctx, budget);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidInput(`${key} must render to text, got ${v === null ? 'null' : typeof v}`, { field: key });
}

export function optionalText(config: Record<string, unknown>, key: string, ctx: RunContext, budget: Budget): string | undefined {
  return config[key] === undefined ? undefined : text(config, key, ctx, budget);
}

/** Joins a base URL and a path without doubling slashes. */
export const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
