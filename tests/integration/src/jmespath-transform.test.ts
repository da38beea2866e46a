import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeftApiError } from '@weft/sdk';
import type { Issue, Json, Run } from '@weft/workflow-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/*
 * The JMESPath compliance suite (jmespath/jmespath.test, vendored in packages/engine/testdata/jmespath,
 * override: WEFT_JMESPATH_TESTDATA) run THROUGH a transform node on the real pipeline: one workflow
 * `trigger → transform { input: "{{ input.doc }}", expression: E }` per case, published through the
 * gateway and run by the orchestrator and executor with inputs `{ doc: given }`.
 * A missing or truncated folder fails, never skips.
 *
 * Every case goes through the platform once, in beforeAll: the workflows are published and the
 * runs started with a fixed number of requests in flight, then the runs are awaited together;
 * each case then has its own test that checks what came back.
 */

const EXPECTED_CASES = 892;
const IN_FLIGHT = 50;
const NODE_ID = 'pick';
/*
 * Errors no data can fix are rejected when the version is published: syntax errors (the contract),
 * and also calls to unknown functions and calls with the wrong number of arguments, which the
 * engine's checkSyntax reports statically (see packages/engine/src/expressions/compliance.test.ts).
 * The other kinds (invalid-type, invalid-value) depend on the data and fail the step.
 */
const REJECTED_AT_PUBLISH = new Set(['syntax', 'unknown-function', 'invalid-arity']);

interface ComplianceCase {
  file: string;
  number: number;
  given: Json;
  expression: string;
  result?: unknown;
  error?: string;
}

type Outcome =
  | { kind: 'rejected'; status: number; issues: Issue[] }
  | { kind: 'run'; run: Run }
  | { kind: 'crashed'; message: string };

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no pnpm-workspace.yaml above the test file');
    dir = parent;
  }
  return dir;
}

function loadSuite(): { folder: string; files: [string, ComplianceCase[]][]; problem?: string } {
  const folder = process.env.WEFT_JMESPATH_TESTDATA ?? path.resolve(repoRoot(), 'packages/engine/testdata/jmespath');
  if (!existsSync(folder)) {
    return { folder, files: [], problem: `JMESPath compliance folder not found: ${folder} (set WEFT_JMESPATH_TESTDATA)` };
  }
  const names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  const files = names.map((file): [string, ComplianceCase[]] => {
    const suites = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as {
      given: Json;
      cases: { expression: string; result?: unknown; error?: string }[];
    }[];
    let number = 0;
    const cases = suites.flatMap((suite) => suite.cases.map((c) => ({ file, number: ++number, given: suite.given, ...c })));
    return [file, cases];
  });
  return { folder, files };
}

const definition = (expression: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', config: {} },
    { id: NODE_ID, type: 'transform', config: { input: '{{ input.doc }}', expression } },
  ],
  edges: [{ source: 'trigger', target: NODE_ID }],
});

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes the case's workflow and starts its run: the run id, or the answer that rejected it. */
async function submit(platform: Platform, c: ComplianceCase): Promise<Outcome | { kind: 'started'; runId: string }> {
  const { client } = platform;
  try {
    const wf = await client.createWorkflow({ name: `${c.file} #${c.number}`, definition: definition(c.expression) });
    try {
      await client.publishVersion(wf.id);
    } catch (error) {
      if (error instanceof WeftApiError) return { kind: 'rejected', status: error.status, issues: error.issues };
      throw error;
    }
    const { runId } = await client.createRun({ workflowId: wf.id, inputs: { doc: c.given } });
    return { kind: 'started', runId };
  } catch (error) {
    return { kind: 'crashed', message: String(error) };
  }
}

/** Ids of every run of the org in a status, page by page. */
async function idsWithStatus(platform: Platform, status: 'queued' | 'running'): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await platform.client.listRuns({ status, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) ids.add(r.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/**
 * Waits for every run to end. Polling each run on its own would cost more than running it, so
 * the unfinished runs are listed in pages and each run is fetched (steps and all) once it left them.
 */
async function waitForAll(platform: Platform, runIds: readonly string[], deadline: number): Promise<Map<string, Outcome>> {
  const ended = new Map<string, Outcome>();
  let pending = [...runIds];
  while (pending.length > 0) {
    if (performance.now() > deadline) {
      for (const id of pending) ended.set(id, { kind: 'crashed', message: `run ${id} did not end in time` });
      break;
    }
    await sleep(250);
    const unfinished = new Set([...(await idsWithStatus(platform, 'queued')), ...(await idsWithStatus(platform, 'running'))]);
    const candidates = pending.filter((id) => !unfinished.has(id));
    const runs = await pool(candidates, IN_FLIGHT, (id) => platform.client.getRun(id));
    for (const run of runs) if (TERMINAL.has(run.status)) ended.set(run.id, { kind: 'run', run });
    pending = pending.filter((id) => !ended.has(id));
  }
  return ended;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const suite = loadSuite();
const allCases = suite.files.flatMap(([, cases]) => cases);
const outcomes = new Map<ComplianceCase, Outcome>();
let platform: Platform;

beforeAll(async () => {
  if (suite.problem) return;
  platform = await startPlatform({ executorConcurrency: 32 });
  const started = performance.now();
  const submitted = await pool(allCases, IN_FLIGHT, (c) => submit(platform, c));
  const submittedAt = performance.now();
  const runIds = submitted.flatMap((s) => (s.kind === 'started' ? [s.runId] : []));
  const ended = await waitForAll(platform, runIds, started + 200_000);
  submitted.forEach((s, i) => outcomes.set(allCases[i]!, s.kind === 'started' ? ended.get(s.runId)! : s));
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.info(
    `jmespath-transform: ${allCases.length} cases (${runIds.length} runs) through the pipeline in ${seconds(performance.now() - started)} s, ` +
      `submitted in ${seconds(submittedAt - started)} s (${IN_FLIGHT} in flight)`,
  );
}, 240_000);

afterAll(async () => {
  await platform?.stop();
});

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** The one transform step of a run. */
function transformStep(run: Run) {
  const steps = run.steps.filter((s) => s.nodeId === NODE_ID);
  expect(steps, 'transform steps').toHaveLength(1);
  return steps[0]!;
}

describe('The JMESPath compliance suite through a transform node on the real pipeline', () => {
  it(`holds all ${EXPECTED_CASES} cases of the specification`, () => {
    if (suite.problem) throw new Error(suite.problem);
    expect(allCases.length, `cases found in ${suite.folder}`).toBe(EXPECTED_CASES);
  });

  describe.each(suite.files)('%s', (_file, cases) => {
    it.each(cases.map((c) => [`${c.file} #${c.number}: ${shorten(c.expression)}`, c] as const))('%s', (_name, c) => {
      const outcome = outcomes.get(c);
      if (!outcome) throw new Error('the case did not run');
      if (outcome.kind === 'crashed') throw new Error(outcome.message);

      if (c.error !== undefined && REJECTED_AT_PUBLISH.has(c.error)) {
        expect(outcome, 'publishing should be rejected').toMatchObject({ kind: 'rejected', status: 400 });
        expect((outcome as { issues: Issue[] }).issues).toEqual([
          { path: 'nodes[1].config.expression', code: 'invalid_expression', message: expect.any(String), nodeId: NODE_ID },
        ]);
        return;
      }
      if (outcome.kind === 'rejected') throw new Error(`publish answered ${outcome.status}: ${JSON.stringify(outcome.issues)}`);
      const { run } = outcome;
      const step = transformStep(run);

      if (c.error !== undefined) {
        expect(run.status).toBe('failed');
        expect(step.status).toBe('failed');
        expect(step.error).toMatchObject({ code: 'expression_error', retryable: false });
        expect(run.error).toMatchObject({ code: 'expression_error', nodeId: NODE_ID });
        return;
      }
      expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
      expect(step.status).toBe('succeeded');
      expect(step.output).toEqual(c.result);
    });
  });
});
