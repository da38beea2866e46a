import { renderTemplate, type RunContext } from '@weft/engine';
import { invalidInput } from '../../errors';

/** Renders a config field that must be text (numbers are accepted and stringified). */
export function text(config: Record<string, unknown>, key: string, ctx: RunContext): string {
  const v = renderTemplate(config[key], ctx);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidInput(`${key} must render to text, got ${v === null ? 'null' : typeof v}`, { field: key });
}

export function optionalText(config: Record<string, unknown>, key: string, ctx: RunContext): string | undefined {
  return config[key] === undefined ? undefined : text(config, key, ctx);
}

/** Joins a base URL and a path without doubling slashes. */
export const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
