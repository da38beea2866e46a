import { int, parseEnv } from '@weft/config';
import type { CreateWorkflowBody } from '@weft/workflow-schema';
import { z } from 'zod';
import type { BenchPlatform } from '../platform';
import type { Row } from '../report';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const RedosEnvSchema = z.object({
  /** Requests measured per pattern and input kind, after the warm-up. */
  BENCH_REDOS_REQUESTS: int(300),
  /** Requests per pattern and input kind sent first and not measured (JIT, pools, compiled schemas). */
  BENCH_REDOS_WARMUP: int(20),
  /** Length of the run of `x` in the input (issue 12: 20 s at 30 with the backtracking engine). */
  BENCH_REDOS_LENGTH: int(50),
});
type RedosSettings = z.infer<typeof RedosEnvSchema>;

/** The pattern of issue 12: every way of splitting the x's between the two `x+` is tried before failing. */
const EVIL = '^(x+x+)+y$';
/** The same language, written so that no engine backtracks. */
const PLAIN = '^x+y$';

function definition(pattern: string): CreateWorkflowBody['definition'] {
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object', required: ['s'], properties: { s: { type: 'string', pattern } } } } },
      { id: 'done', type: 'transform', config: { expression: 'length(input.s)' } },
    ],
    edges: [{ source: 'trigger', target: 'done' }],
  };
}

type Kind = 'refused' | 'accepted';

/**
 * Submit latency (POST /v1/runs sent → answer read) with each pattern, requests interleaved
 * (evil, plain, evil, …) so that whatever else the machine does weighs on both alike.
 */
async function measure({ log }: WorkloadContext, platform: BenchPlatform, settings: RedosSettings) {
  const [evilWf, plainWf] = await Promise.all([publishWorkflow(platform.client, 'bench redos evil', definition(EVIL)), publishWorkflow(platform.client, 'bench redos plain', definition(PLAIN))]);
  const x = 'x'.repeat(settings.BENCH_REDOS_LENGTH);
  const inputs: Record<Kind, string> = { refused: x, accepted: `${x}y` };
  const expected: Record<Kind, number> = { refused: 400, accepted: 202 };
  const submit = async (workflowId: string, kind: Kind) => {
    const t0 = performance.now();
    const res = await fetch(`${platform.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId, inputs: { s: inputs[kind] } }),
    });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== expected[kind]) throw new Error(`${kind} input answered ${res.status}, expected ${expected[kind]}`);
    return ms;
  };
  const samples = { evil: { refused: [] as number[], accepted: [] as number[] }, plain: { refused: [] as number[], accepted: [] as number[] } };
  const cold = { evil: await submit(evilWf, 'refused'), plain: await submit(plainWf, 'refused') };
  for (const kind of ['refused', 'accepted'] as const) {
    log(`redos: ${settings.BENCH_REDOS_WARMUP} warm-up + ${settings.BENCH_REDOS_REQUESTS} ${kind} submissions per pattern, interleaved`);
    for (let i = 0; i < settings.BENCH_REDOS_WARMUP + settings.BENCH_REDOS_REQUESTS; i++) {
      const evil = await submit(evilWf, kind);
      const plain = await submit(plainWf, kind);
      if (i < settings.BENCH_REDOS_WARMUP) continue;
      samples.evil[kind].push(evil);
      samples.plain[kind].push(plain);
    }
  }
  return { samples, cold };
}

type Result = Awaited<ReturnType<typeof measure>>;

function rows(r: Result, length: number): Row[] {
  const out: Row[] = [];
  for (const kind of ['refused', 'accepted'] as const) {
    const evil = summarize(r.samples.evil[kind]);
    const plain = summarize(r.samples.plain[kind]);
    const what = kind === 'refused' ? `'x' × ${length}: no match, 400` : `'x' × ${length} + 'y': match, 202`;
    const row = (metric: string, weft: number, baseline: number): Row => ({ workload: 'redos', metric, weft, baseline, better: 'lower' });
    out.push(
      row(`submit ${what}, median (ms, n=${evil.n})`, evil.median, plain.median),
      row(`submit ${what}, p95 (ms)`, evil.p95, plain.p95),
      row(`submit ${what}, p99 (ms)`, evil.p99, plain.p99),
    );
  }
  return out;
}

export const redos: Workload = {
  name: 'redos',
  description:
    `Submit latency of POST /v1/runs when the trigger's inputSchema has a pattern written to backtrack, \`${EVIL}\` (weft column), ` +
    `against the same request with the plain pattern \`${PLAIN}\` (baseline column), in the same run, requests interleaved. ` +
    'Patterns run in RE2 (re2js, linear time), so the ratio should be near 1; with the backtracking engine the refused input ' +
    'took 20 s at 30 characters and hours at 50, while the gateway answered nobody (issue 12).',

  async run(ctx) {
    const settings = parseEnv(RedosEnvSchema, process.env);
    const result = await ctx.withPlatform({}, (p) => measure(ctx, p, settings));
    return {
      rows: rows(result, settings.BENCH_REDOS_LENGTH),
      notes: [
        `Input length ${settings.BENCH_REDOS_LENGTH}; ${settings.BENCH_REDOS_REQUESTS} measured requests per pattern and kind after ${settings.BENCH_REDOS_WARMUP} warm-up ones; ` +
          'client-observed (request sent → answer read, one at a time, keep-alive). A refused input answers 400 after the gateway re-reads the version ' +
          '(inputs are refused only against the version a run would use), for both patterns alike.',
        '',
        `First submission of each workflow (its schema compiled, not measured above): ${result.cold.evil.toFixed(1)} ms with the evil pattern, sent first, ` +
          `so it also pays the engine's first use in the gateway; ${result.cold.plain.toFixed(1)} ms with the plain one, right after.`,
      ],
      details: { settings, samples: result.samples, cold: result.cold },
    };
  },
};
