import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ listen: false });
});
afterAll(async () => {
  await gw?.stop();
});

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * Generated clients name their methods after these: renaming one breaks every such client. New
 * operations are welcome (they need an id too); the ones here must keep theirs.
 */
const PINNED: Record<string, string> = {
  'get /healthz': 'getLiveness',
  'get /readyz': 'getReadiness',
  'get /v1/catalog/nodes': 'listNodeTypes',
  'get /v1/catalog/functions': 'listFunctions',
  'post /v1/workflows': 'createWorkflow',
  'get /v1/workflows': 'listWorkflows',
  'get /v1/workflows/{id}': 'getWorkflow',
  'put /v1/workflows/{id}/draft': 'saveDraft',
  'post /v1/workflows/{id}/versions': 'publishVersion',
  'get /v1/workflows/{id}/versions': 'listVersions',
  'get /v1/workflow-versions/{id}': 'getVersion',
  'post /v1/workflows/validate': 'validateWorkflow',
  'post /v1/runs': 'createRun',
  'get /v1/runs': 'listRuns',
  'get /v1/runs/{id}': 'getRun',
  'get /v1/runs/{id}/steps': 'listRunSteps',
  'get /v1/runs/{id}/events': 'listRunEvents',
  'get /v1/runs/{id}/live': 'watchRun',
  'post /v1/runs/{id}/cancel': 'cancelRun',
  'post /v1/runs/{id}/resume': 'resumeRun',
  'post /v1/runs/{id}/retry': 'retryRun',
  'post /v1/workflows/{id}/runs/retry': 'retryWorkflowRuns',
  'post /v1/secrets': 'createSecret',
  'get /v1/secrets': 'listSecrets',
  'get /v1/secrets/{name}': 'getSecret',
  'put /v1/secrets/{name}': 'updateSecret',
  'delete /v1/secrets/{name}': 'deleteSecret',
  'get /v1/me': 'getMe',
  'post /v1/api-keys': 'createApiKey',
  'get /v1/api-keys': 'listApiKeys',
  'delete /v1/api-keys/{id}': 'revokeApiKey',
  'get /v1/audit-logs': 'listAuditLogs',
};

describe('Every operation of the served OpenAPI document has a stable operationId', () => {
  it('gives each operation a unique camelCase operationId, and keeps the published ones', async () => {
    const doc = (await gw.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = new Map<string, string>();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        if (!op.operationId) missing.push(`${method} ${path}`);
        else ids.set(`${method} ${path}`, op.operationId);
      }
    }
    expect(missing).toEqual([]);
    const all = [...ids.values()];
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[a-z]+[A-Za-z]*$/);
    for (const [operation, id] of Object.entries(PINNED)) expect(ids.get(operation), operation).toBe(id);
  });
});
