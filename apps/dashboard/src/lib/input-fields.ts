/** A field of the "Run now" form, from a property of the trigger's input JSON Schema. */
export interface InputField {
  name: string;
  kind: 'string' | 'number' | 'boolean' | 'json';
  required: boolean;
  description?: string;
}

interface SchemaLike {
  properties?: Record<string, { type?: unknown; description?: unknown }>;
  required?: unknown;
}

/** The form's fields: strings, numbers and booleans as such; anything else as JSON text. */
export function inputFields(schema: unknown): InputField[] {
  const s = (schema ?? {}) as SchemaLike;
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    kind: p.type === 'string' ? 'string' : p.type === 'number' || p.type === 'integer' ? 'number' : p.type === 'boolean' ? 'boolean' : 'json',
    required: required.has(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
}

/** The run's inputs from the form's text values; a field left empty is left out. Throws naming a field whose JSON is not valid. */
export function inputsOf(fields: InputField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') {
      if (v !== undefined) out[f.name] = v === true;
      continue;
    }
    if (typeof v !== 'string' || v.trim() === '') continue;
    if (f.kind === 'string') out[f.name] = v;
    else if (f.kind === 'number') out[f.name] = Number(v);
    else {
      try {
        out[f.name] = JSON.parse(v);
      } catch {
        throw new Error(`${f.name}: not valid JSON`);
      }
    }
  }
  return out;
}
