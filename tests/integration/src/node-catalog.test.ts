import { nodeKind } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p?.stop();
});

describe('GET /v1/catalog/nodes', () => {
  it('serves every node type with its kind, beside the fields the contract names', async () => {
    const list = await p.client.call<{ type: string; kind: string; title: string; configSchema: object; handles: string[] }[]>('GET', '/v1/catalog/nodes');
    expect(list.length).toBeGreaterThan(10);
    for (const entry of list) {
      expect(entry).toMatchObject({ type: expect.any(String), title: expect.any(String), configSchema: expect.any(Object), handles: expect.any(Array) });
      expect(entry.kind, entry.type).toBe(nodeKind(entry.type));
    }
    expect(Object.fromEntries(list.filter((e) => ['delay', 'wait_for_approval', 'http_request', 'transform'].includes(e.type)).map((e) => [e.type, e.kind]))).toEqual({
      transform: 'inline',
      http_request: 'executor',
      delay: 'timer',
      wait_for_approval: 'waiting',
    });
  });
});
