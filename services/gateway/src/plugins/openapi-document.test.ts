import { describe, expect, it } from 'vitest';
import { tidyDocument, withProblemResponses } from './openapi-document';

const problem = { $ref: '#/components/schemas/Problem' };

describe('withProblemResponses', () => {
  it('serves error answers as problem+json with a description, and adds the body parser answers to operations with a body', () => {
    const doc = withProblemResponses({ url: '/v1/x', schema: { body: {}, response: { 201: { type: 'object' }, 404: problem } } }, 'POST', true);
    const responses = (doc.schema as { response: Record<string, unknown> }).response;
    expect(responses[201]).toEqual({ type: 'object' });
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '404', '413', '415']);
    expect(responses[404]).toEqual({ description: expect.stringContaining('Not found'), content: { 'application/problem+json': { schema: problem } } });
    expect(responses[413]).toMatchObject({ content: { 'application/problem+json': { schema: problem } } });
  });

  it('leaves operations without a body, hidden routes and answers already described alone', () => {
    const described = { description: 'x', content: { 'application/json': { schema: {} } } };
    const doc = withProblemResponses({ url: '/v1/x', schema: { response: { 200: {}, 426: described } } }, 'GET', true);
    expect((doc.schema as { response: object }).response).toEqual({ 200: {}, 426: described });
    const hidden = { url: '/openapi.json', schema: { hide: true } as object };
    expect(withProblemResponses(hidden, 'GET', false)).toBe(hidden);
  });

  it('documents 401 and 403 on routes that need a key, and no security requirement on public ones', () => {
    const secured = withProblemResponses({ url: '/v1/x', schema: { response: { 200: {} } } }, 'GET', false).schema as { response: object; security?: unknown };
    expect(Object.keys(secured.response).sort()).toEqual(['200', '401', '403']);
    expect(secured.security).toBeUndefined();
    const open = withProblemResponses({ url: '/healthz', schema: { response: { 200: {} } } }, 'GET', true).schema as { response: object; security?: unknown };
    expect(Object.keys(open.response)).toEqual(['200']);
    expect(open.security).toEqual([]);
  });
});

describe('tidyDocument', () => {
  it('drops an anyOf one of whose members accepts everything, but not examples that look like one', () => {
    const doc = tidyDocument({
      paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', properties: { out: { anyOf: [{}, { type: 'null' }], description: 'd' }, ok: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, example: { anyOf: [{}] } } } } } } } } },
    });
    const schema = doc.paths['/x'].get.responses[200].content['application/json'].schema;
    expect(schema.properties.out).toEqual({ description: 'd' });
    expect(schema.properties.ok.anyOf).toHaveLength(2);
    expect(schema.example).toEqual({ anyOf: [{}] });
  });

  it('keeps the components something refers to (also through another component) and drops the rest', () => {
    const doc = tidyDocument({
      paths: { '/x': { get: { responses: { 400: { content: { 'application/problem+json': { schema: problem } } } } } } },
      components: { schemas: { Problem: { properties: { errors: { items: { $ref: '#/components/schemas/Issue' } } } }, Issue: {}, ProblemInput: {}, Lonely: { $ref: '#/components/schemas/Lonely' } } },
    });
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Issue', 'Problem']);
  });
});
