/** The operations of an OpenAPI 3.1 document, reduced to what a fuzzer needs to call them. */

export type Schema = Record<string, unknown>;

export interface Param {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `GET /v1/runs/{id}`: how failures name the operation. */
  name: string;
  method: string;
  /** The path template, `{name}` for each path parameter. */
  path: string;
  pathParams: Param[];
  query: Param[];
  headers: Param[];
  /** The JSON request body's schema ($refs resolved on demand with `deref`). */
  body?: Schema;
  bodyRequired: boolean;
  /** Every status the document lists for the operation. */
  statuses: Set<number>;
  successes: Set<number>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: (Param & { in: string })[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }; responses?: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const pick = (where: string) => params.filter((p) => p.in === where).map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} }));
      const statuses = new Set(Object.keys(op.responses ?? {}).map(Number).filter(Number.isInteger));
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: pick('path'),
        query: pick('query'),
        headers: pick('header'),
        ...(body ? { body } : {}),
        bodyRequired: op.requestBody?.required === true,
        statuses,
        successes: new Set([...statuses].filter((s) => s < 400)),
      });
    }
  }
  return ops;
}

/** Follows a local `$ref` (`#/components/schemas/X`) to its schema. */
export function deref(doc: OpenApiDoc, schema: Schema): Schema {
  for (let s = schema, hops = 0; hops < 32; hops++) {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    s = target;
  }
  throw new Error(`$ref chain too long from ${JSON.stringify(schema)}`);
}

/** The operation's path with each parameter replaced (values are percent-encoded unless `raw`). */
export function fillPath(op: Operation, values: Record<string, string>, raw = false): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values[name] ?? '';
    return raw ? v : encodePathSegment(v);
  });
}

/** encodeURIComponent, except that an unpaired surrogate (which it refuses) is sent as the bytes of U+FFFD. */
function encodePathSegment(v: string): string {
  return encodeURIComponent(v.replace(LONE_SURROGATE, '\uFFFD'));
}

export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
