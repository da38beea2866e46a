import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NODE_TYPES, catalogEntry, nodeTypes } from '@weft/workflow-schema';

const CatalogEntrySchema = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  icon: z.string(),
  configSchema: z.record(z.string(), z.unknown()),
  handles: z.array(z.string()),
  example: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
});

// The catalog is static for a given build: computed once.
const CATALOG = NODE_TYPES.map((t) => catalogEntry(nodeTypes[t]));

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/catalog/nodes', {
    schema: { tags: ['catalog'], summary: 'Every node type with its config JSON Schema and handles', response: { 200: z.array(CatalogEntrySchema) } },
  }, async () => CATALOG);
};
