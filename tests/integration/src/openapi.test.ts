import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/**
 * Redocly "recommended" warnings that are known and accepted, with why. Errors are never accepted, and any other
 * warning fails the test (e.g. an illogical `anyOf` creeping back in).
 */
const ACCEPTED_WARNINGS: Record<string, string> = {
  'info-license': 'the repository does not state a license yet; the document must not invent one',
  'operation-4xx-response': 'the health probes (public, no input) answer no 4xx',
  'operation-2xx-response': 'GET /v1/runs/{id}/live is a WebSocket: it answers 101, not 2xx',
};

let p: Platform;
let source: string;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  const res = await fetch(`${p.url}/openapi.json`);
  expect(res.status).toBe(200);
  source = await res.text();
});
afterAll(async () => {
  await p?.stop();
});

describe('The served OpenAPI document is valid and usable by standard tools', () => {
  it('validates against the OpenAPI 3.1 schema, every $ref resolving', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(source));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it("passes Redocly's recommended rules with no error and only the accepted warnings", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: join(tmpdir(), 'openapi.json'), config });
    const describe = (x: (typeof problems)[number]) => `${x.ruleId}: ${x.message} at ${x.location[0]?.pointer ?? '?'}`;
    expect(problems.filter((x) => x.severity === 'error').map(describe)).toEqual([]);
    expect(problems.filter((x) => !(x.ruleId in ACCEPTED_WARNINGS)).map(describe)).toEqual([]);
  });

  it('names a server and answers errors as problem+json', () => {
    const doc = JSON.parse(source) as { servers: { url: string }[]; paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>> };
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const errorContent = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => Object.entries(op.responses).filter(([status]) => Number(status) >= 400))
      .map(([, r]) => Object.keys(r.content ?? {}));
    expect(errorContent.length).toBeGreaterThan(20);
    expect(new Set(errorContent.flat())).toEqual(new Set(['application/problem+json']));
  });

  it('generates a TypeScript client with openapi-typescript that a typed usage compiles against', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-openapi-'));
    try {
      await writeFile(join(dir, 'weft-api.ts'), astToString(await openapiTS(JSON.parse(source))));
      await writeFile(join(dir, 'usage.ts'), USAGE);
      const program = ts.createProgram([join(dir, 'usage.ts')], {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], lib: ['lib.es2022.d.ts'],
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * What a user writes against the generated types. The `@ts-expect-error` lines prove the types are precise
 * (a wrong type is refused), not `any`: if they stopped being errors, the compiler would report the directive.
 */
const USAGE = `
import type { components, paths } from './weft-api';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type CreateWorkflow = Json<paths['/v1/workflows']['post']['requestBody']>;
type StartRun = Json<paths['/v1/runs']['post']['requestBody']>;
type Resume = Json<paths['/v1/runs/{id}/resume']['post']['requestBody']>;
type Run = Json<paths['/v1/runs/{id}']['get']['responses'][200]>;
type Problem = components['schemas']['Problem'];

export const create: CreateWorkflow = { name: 'orders', definition: { nodes: [], edges: [] } };
export const start: StartRun = { workflowId: '0b9f6f2e-7c1a-4b5e-9a55-3f1f0d3c2a10', inputs: { n: 1, tags: ['a', null], deep: { x: [{ y: true }] } } };
export const resume: Resume = { nodeId: 'approve', decision: 'approve', payload: { by: 'ana', ok: [1, 2] } };
export const problem: Problem = { type: 'https://weft.dev/problems/not-found', title: 'Not found', status: 404, errors: [{ path: 'id', code: 'x', message: 'y' }] };
export function summary(run: Run): string {
  return run.status + ' ' + run.steps.map((s) => s.nodeId + ':' + s.status).join(',');
}
export const notFound: Problem = Json404 as never;
declare const Json404: Json<paths['/v1/runs/{id}']['get']['responses'][404]>;

// @ts-expect-error a workflow name is a string
export const badName: CreateWorkflow = { name: 42 };
// @ts-expect-error decision is approve or reject
export const badDecision: Resume = { nodeId: 'a', decision: 'maybe' };
// @ts-expect-error run inputs are an object of named values
export const badInputs: StartRun = { workflowId: 'x', inputs: 'n=1' };
// @ts-expect-error a run's status is one of the documented ones
export const badStatus: Run['status'] = 'exploded';
`;
