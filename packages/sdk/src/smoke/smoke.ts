import { WeftApiError, WeftClient } from '../client';

/** The workflow the smoke check runs: trigger → a registered function (an executor step) → a transform. */
export const SMOKE_WORKFLOW_NAME = 'weft-smoke';
const SMOKE_DEFINITION = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object', required: ['nonce'], properties: { nonce: { type: 'string' } } } } },
    { id: 'slug', type: 'function', config: { name: 'slugify', args: { text: 'Smoke {{ input.nonce }}' } } },
    { id: 'answer', type: 'transform', config: { expression: '{ slug: steps.slug.output, nonce: input.nonce }' } },
  ],
  edges: [
    { source: 'trigger', target: 'slug' },
    { source: 'slug', target: 'answer' },
  ],
};

export interface SmokeOptions {
  url: string;
  key: string;
  /** How long the run may take end to end (default 60 s). */
  timeoutMs?: number;
}

export interface SmokeResult {
  ok: boolean;
  /** What failed, in words (undefined when ok). */
  reason?: string;
  /** Each check with how long it took (ms). */
  checks: Array<{ name: string; ok: boolean; ms: number; detail?: string }>;
}

class SmokeFailure extends Error {}

/**
 * Runs a known workflow against a deployment through its public API and says what failed:
 * readiness (Postgres and Redis), the key, the smoke workflow (created on first use: that needs an
 * editor key; afterwards an operator key is enough), a run through an executor step, its output.
 */
export async function runSmoke({ url, key, timeoutMs = 60_000 }: SmokeOptions): Promise<SmokeResult> {
  const base = url.replace(/\/$/, '');
  const client = new WeftClient({ baseUrl: base, apiKey: key });
  const checks: SmokeResult['checks'] = [];
  const check = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await fn();
      checks.push({ name, ok: true, ms: Math.round(performance.now() - started) });
      return value;
    } catch (error) {
      const detail = error instanceof WeftApiError ? error.message : error instanceof Error ? error.message : String(error);
      checks.push({ name, ok: false, ms: Math.round(performance.now() - started), detail });
      throw new SmokeFailure(`${name}: ${detail}`);
    }
  };
  try {
    await check('readiness', async () => {
      const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => {
        throw new Error(`${base} cannot be reached (${e.cause instanceof Error ? e.cause.message : e.message})`);
      });
      if (r.status !== 200) throw new Error(`GET /readyz answered ${r.status} ${await r.text()}`);
    });
    await check('API key', () => client.me());
    const workflowId = await check('smoke workflow', () => findOrCreateWorkflow(client));
    const nonce = `n${Date.now().toString(36)}`;
    const run = await check('start a run', () => client.createRun({ workflowId, inputs: { nonce } }));
    const done = await check('run completes', async () => {
      const r = await client.waitForRun(run.runId, { timeoutMs, intervalMs: 250 });
      if (r.status !== 'succeeded') throw new Error(`run ${r.id} ended ${r.status}${r.error ? `: ${JSON.stringify(r.error)}` : ''}`);
      return r;
    });
    await check('output', async () => {
      // A run's output holds its last nodes' outputs by node id.
      const want = { answer: { slug: `smoke-${nonce}`, nonce } };
      if (JSON.stringify(done.output) !== JSON.stringify(want)) throw new Error(`run ${done.id} answered ${JSON.stringify(done.output)}, expected ${JSON.stringify(want)}`);
    });
    return { ok: true, checks };
  } catch (error) {
    if (error instanceof SmokeFailure) return { ok: false, reason: error.message, checks };
    throw error;
  }
}

async function findOrCreateWorkflow(client: WeftClient): Promise<string> {
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const list = await client.listWorkflows({ limit: 100, ...(cursor ? { cursor } : {}) });
    const found = list.items.find((w) => w.name === SMOKE_WORKFLOW_NAME && w.latestVersion);
    if (found) return found.id;
    if (!list.nextCursor) break;
    cursor = list.nextCursor;
  }
  try {
    const wf = await client.createWorkflow({ name: SMOKE_WORKFLOW_NAME, description: 'Created by `npm run smoke`: a synthetic check of the whole pipeline.' });
    await client.publishVersion(wf.id, SMOKE_DEFINITION);
    return wf.id;
  } catch (error) {
    if (error instanceof WeftApiError && error.status === 403) {
      throw new Error(`no published workflow "${SMOKE_WORKFLOW_NAME}" yet, and this key may not create one: run the smoke check once with an editor key`, { cause: error });
    }
    throw error;
  }
}
