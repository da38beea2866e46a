import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { CatalogEntry } from '@weft/workflow-schema';

/** A JSON Schema as the catalog serves it (Zod's 2020-12 output); only what the form reads is typed. */
export interface JSONSchema {
  type?: string | string[];
  properties?: Record<string, JSONSchema>;
  required?: string[];
  additionalProperties?: boolean | JSONSchema;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  items?: JSONSchema;
  examples?: unknown[];
}

/** Field path ('url', 'retry.maxAttempts'; '' for the whole object) → message. */
export type FieldErrors = Record<string, string>;

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction | Error>();

function compile(schema: object): ValidateFunction | Error {
  let v = compiled.get(schema);
  if (!v) {
    try {
      v = ajv.compile(schema);
    } catch (err) {
      v = err as Error;
    }
    compiled.set(schema, v);
  }
  return v;
}

/** Validates a value against a JSON Schema and names each problem by field path, in plain words. */
export function validateAgainst(schema: object, value: unknown): FieldErrors {
  const v = compile(schema);
  if (v instanceof Error) return { '': `The schema itself is not valid: ${v.message}` };
  if (v(value)) return {};
  const out: FieldErrors = {};
  for (const e of v.errors ?? []) {
    const [path, message] = describe(e);
    if (!(path in out)) out[path] = message;
  }
  return out;
}

/** Validates a node's config against its catalog schema. */
export function validateConfig(entry: CatalogEntry | undefined, config: unknown): FieldErrors {
  return entry ? validateAgainst(entry.configSchema, config) : { '': 'Unknown node type' };
}

function describe(e: ErrorObject): [string, string] {
  const base = e.instancePath.split('/').filter(Boolean).join('.');
  const join = (p: string) => (base ? `${base}.${p}` : p);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [join(String(p.missingProperty)), 'Required'];
    case 'additionalProperties':
      return [base, `Unknown field “${String(p.additionalProperty)}”`];
    case 'minLength':
      return [base, p.limit === 1 ? 'Required' : `At least ${String(p.limit)} characters`];
    case 'type':
      return [base, `Must be ${article(String(p.type))}`];
    case 'enum':
      return [base, `Must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`];
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return [base, `Must be ${String(p.comparison)} ${String(p.limit)}`];
    case 'pattern':
      return [base, `Must match ${String(p.pattern)}`];
    default:
      return [base, e.message ?? 'Invalid'];
  }
}

function article(type: string) {
  const words: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'an object', array: 'a list' };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

/** How the form draws a property. */
export type FieldKind = 'enum' | 'text' | 'expression' | 'number' | 'boolean' | 'object' | 'record' | 'json';

export function fieldKind(schema: JSONSchema): FieldKind {
  if (schema.enum) return 'enum';
  const type = Array.isArray(schema.type) ? (schema.type.includes('string') ? 'string' : schema.type[0]) : schema.type;
  if (type === 'string') return /jmespath/i.test(schema.description ?? '') ? 'expression' : 'text';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'object' && schema.properties) return 'object';
  if (type === 'object' && typeof schema.additionalProperties === 'object' && fieldKind(schema.additionalProperties) === 'text') return 'record';
  return 'json';
}

/** Options every executable node has; the form keeps them in a folded "Advanced" section. */
export const ADVANCED_FIELDS = new Set(['retry', 'timeoutMs', 'join']);

/** The config a new node starts with: the schema's defaults (required fields stay empty, to be filled). */
export function initialConfig(entry: CatalogEntry): Record<string, unknown> {
  const schema = entry.configSchema as JSONSchema;
  const config: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (ADVANCED_FIELDS.has(name) || prop.default === undefined) continue;
    config[name] = structuredClone(prop.default);
  }
  return config;
}
