import { STATUS_CODES } from 'node:http';
import type { FastifySchema } from 'fastify';

/** What a route transform of @fastify/swagger returns. */
interface RouteDoc {
  schema: FastifySchema;
  url: string;
}
type Json = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** Why the API answers each error status, as the document describes it. */
const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'The request is not valid: malformed JSON, a wrong type, a missing or unknown field, a bad parameter',
  401: 'No API key, or one that is not valid',
  403: 'The API key may not do this',
  404: 'Not found (an object of another org is not found either)',
  409: 'The object is not in a state that allows this, or the request conflicts with an earlier one',
  413: 'The request body is larger than the gateway accepts',
  415: 'The request body is not JSON (send Content-Type: application/json)',
  426: 'A WebSocket endpoint called without Upgrade: websocket',
  503: 'A dependency (database, queue, key store) is unavailable; retry shortly',
};

/**
 * Completes a route's error answers as they really are on the wire: problem+json (not JSON), with a description
 * per status; on operations that take a body, the answers the body parser gives whatever the route (400 for
 * malformed JSON, 413 for a body over the limit, 415 for another media type); and what its access declaration
 * implies: a public route needs no key (`security: []`), any other answers 401 and 403.
 */
export function withProblemResponses(doc: RouteDoc, method: string | string[], isPublic: boolean): RouteDoc {
  const schema = doc.schema as Json | undefined;
  if (!schema || schema.hide || !schema.response) return doc;
  const response = { ...(schema.response as Json) };
  const takesBody = schema.body !== undefined || [method].flat().some((m) => ['POST', 'PUT', 'PATCH'].includes(m));
  if (takesBody) for (const status of ['400', '413', '415']) response[status] ??= PROBLEM_REF;
  if (!isPublic) for (const status of ['401', '403']) response[status] ??= PROBLEM_REF;
  for (const [status, body] of Object.entries(response)) {
    if (Number(status) < 400 || isContentResponse(body)) continue;
    response[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? STATUS_CODES[Number(status)] ?? 'Error',
      content: { 'application/problem+json': { schema: body } },
    };
  }
  return { ...doc, schema: { ...schema, response, ...(isPublic ? { security: [] } : {}) } };
}

const isContentResponse = (v: unknown) => typeof v === 'object' && v !== null && 'content' in v;

/**
 * Final touches on the whole document: an `anyOf` with a member that accepts everything accepts everything
 * (`z.unknown().nullable()` gives `anyOf: [{}, {type: "null"}]`, which linters rightly call illogical), and the
 * component twins nothing refers to (every registered schema is emitted for input and output) are dropped.
 */
export function tidyDocument<T>(doc: T): T {
  collapseVacuousAnyOf(doc);
  dropUnusedSchemas(doc as Json);
  return doc;
}

/** Keys whose values are data (examples, defaults, enums), not schemas: never rewritten. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);

function collapseVacuousAnyOf(root: unknown) {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!isObject(node)) continue;
    if (Array.isArray(node.anyOf) && node.anyOf.some((s) => isObject(s) && Object.keys(s).length === 0)) delete node.anyOf;
    for (const [key, value] of Object.entries(node)) if (!DATA_KEYS.has(key)) stack.push(value);
  }
}

function dropUnusedSchemas(doc: Json) {
  const schemas = (doc.components as Json | undefined)?.schemas as Json | undefined;
  if (!schemas) return;
  // Repeat until stable: dropping a component can orphan the ones only it referred to.
  for (let changed = true; changed; ) {
    changed = false;
    const text = JSON.stringify({ ...doc, components: { ...(doc.components as Json), schemas: {} } });
    const refs = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    for (const [name, schema] of Object.entries(schemas)) {
      for (const m of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) if (m[1] !== name) refs.add(m[1]);
    }
    for (const name of Object.keys(schemas)) {
      if (!refs.has(name)) {
        delete schemas[name];
        changed = true;
      }
    }
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
