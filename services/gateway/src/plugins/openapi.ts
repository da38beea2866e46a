import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the routes' Zod schemas; served at /openapi.json, UI at /docs. */
export async function registerOpenApi(app: FastifyInstance, docsPrefix: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Weft API', version: '1.0.0', description: 'Workflows, versions and durable runs. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer weft_...' },
          accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The API key as a query parameter: only on WebSocket endpoints (browsers cannot set headers there)' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: docsPrefix });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
}
