import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { functionCatalogEntry, type RegisteredFunction } from '@weft/functions';
import { NODE_KIND_NAMES, NODE_TYPES, catalogEntry, nodeTypes } from '@weft/workflow-schema';

const CatalogEntrySchema = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  kind: z.enum(NODE_KIND_NAMES).describe('How the platform carries the node out: inline (pure, evaluated in the run transition), executor, timer, waiting (resumed through the API), loop, child (a sub-workflow run), terminal.'),
  icon: z.string(),
  configSchema: z.record(z.string(), z.unknown()),
  handles: z.array(z.string()).describe('Named outputs (a branching node); empty: the single default output.'),
  errorHandle: z.boolean().describe('Whether the node has the `error` handle: an edge with sourceHandle "error" is taken when its step fails after its retries (its output is then the error), and `continueOnFail` is accepted.'),
  example: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
});

// The catalog is static for a given build: computed once.
const CATALOG = NODE_TYPES.map((t) => catalogEntry(nodeTypes[t]));

const FunctionEntrySchema = z.object({ name: z.string(), description: z.string(), argsSchema: z.record(z.string(), z.unknown()) });

export const catalogRoutes =
  (functions: ReadonlyMap<string, RegisteredFunction>): FastifyPluginAsyncZod =>
  async (app) => {
    const functionCatalog = [...functions.values()].map(functionCatalogEntry);
    app.get('/v1/catalog/nodes', {
      config: { access: { permission: 'catalog:read' } },
      schema: { tags: ['catalog'], operationId: 'listNodeTypes', summary: 'Every node type with its config JSON Schema and handles', response: { 200: z.array(CatalogEntrySchema) } },
    }, async () => CATALOG);
    app.get('/v1/catalog/functions', {
      config: { access: { permission: 'catalog:read' } },
      schema: { tags: ['catalog'], operationId: 'listFunctions', summary: 'The registered functions with the JSON Schema of their arguments', response: { 200: z.array(FunctionEntrySchema) } },
    }, async () => functionCatalog);
  };
