import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { tidyDocument, withProblemResponses } from './openapi-document';

export interface OpenApiOptions {
  /** Where the docs page is served (its routes are public). */
  docsPrefix: string;
  /** The gateway's public base URL, named as the document's server; without it the server is `/` (wherever the document was fetched from). */
  publicUrl?: string;
}

/**
 * OpenAPI 3.1 generated from the routes' Zod schemas; served at /openapi.json, UI at /docs.
 * Schemas with an id in Zod's registry (JsonValue, Problem, Issue) become components that the routes refer to.
 */
export async function registerOpenApi(app: FastifyInstance, opts: OpenApiOptions) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Weft API', version: '1.0.0', description: 'Workflows, versions and durable runs. Errors are RFC 9457 problem+json.' },
      servers: [opts.publicUrl ? { url: opts.publicUrl, description: 'The Weft gateway' } : { url: '/', description: 'The gateway that serves this document' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer weft_...' },
          accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The API key as a query parameter: only on WebSocket endpoints (browsers cannot set headers there)' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: (route) => withProblemResponses(jsonSchemaTransform(route), route.route.method, route.route.config?.access === 'public'),
    transformObject: (doc) => tidyDocument(jsonSchemaTransformObject(doc)),
  });
  await app.register(swaggerUi, { routePrefix: opts.docsPrefix });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
}
