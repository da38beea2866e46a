import type { Issue } from '@weft/workflow-schema';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const cache = new Map<string, ValidateFunction>();

/** Compiles a trigger's inputSchema, or says why it is not a usable JSON Schema. */
export function checkInputSchema(schema: unknown): string | undefined {
  try {
    ajv.compile(schema as object);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Validates run inputs against the trigger's inputSchema (cached per workflow version). */
export function validateInputs(versionId: string, schema: unknown, inputs: unknown): Issue[] {
  if (!schema) return [];
  let validate = cache.get(versionId);
  if (!validate) {
    validate = ajv.compile(schema as object);
    if (cache.size > 1000) cache.clear();
    cache.set(versionId, validate);
  }
  if (validate(inputs)) return [];
  return (validate.errors ?? []).map((e) => ({
    path: `inputs${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`,
    code: e.keyword,
    message: e.message ?? 'invalid',
  }));
}
