import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BareChain } from '../baseline/bullmq-chain';
import { atWorkerNice } from '../nice';
import { STEPS, checkFunctionChain, functionChain, measureBaselineBurst, measureWeft, rows, type BaselineResult, type ChainMode, type WeftResult } from './chain10';
import type { Workload } from './types';

/**
 * A local OTLP/HTTP trace receiver (what a collector would be): answers every export 200 with an
 * empty body, counts requests and bytes so the report shows the spans really left the services.
 */
async function startOtlpSink() {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    stats: () => ({ requests, bytes }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const modes = (endpoint: string): ChainMode[] => [
  {
    label: 'tracing off (chain10 executor)',
    overrides: {},
    definition: functionChain,
    check: checkFunctionChain,
    steps: STEPS,
    what: 'defaults: no OTEL_* variable set, the OpenTelemetry SDK is not loaded',
  },
  {
    label: 'tracing on (chain10 executor)',
    overrides: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
    definition: functionChain,
    check: checkFunctionChain,
    steps: STEPS,
    what: 'OTEL_TRACES_EXPORTER=otlp to a local OTLP/HTTP receiver (batch span processor, default settings, every span sampled): the request span, transitions, a span per step',
  },
];

/**
 * The cost of tracing: the chain10 executor chain (10 `function` steps) with tracing off and on, in
 * the same run, each against the bare BullMQ chain interleaved with its own runs.
 */
export const tracing: Workload = {
  name: 'tracing',
  description:
    `The cost of OpenTelemetry tracing (docs/operating/traces.md) on the chain10 executor chain (trigger → ${STEPS} \`function\` steps), same run: ` +
    'tracing off (the default) and on (OTLP/HTTP protobuf to a local receiver in the bench process, every span sampled), each against the bare BullMQ chain interleaved with its own sequential runs, as in chain10.',

  async run(ctx) {
    const { env, infra, log } = ctx;
    const sink = await startOtlpSink();
    const results: Record<string, WeftResult> = {};
    const list = modes(sink.url);
    const bare = await BareChain.start({ ...infra, steps: STEPS, concurrency: env.BENCH_BASELINE_CONCURRENCY });
    let baseline: BaselineResult;
    try {
      for (const mode of list) results[mode.label] = await ctx.withPlatform(mode.overrides, (p) => measureWeft(ctx, p, mode, bare));
      baseline = await atWorkerNice(env.WEFT_WORKER_NICE, log, () => measureBaselineBurst(ctx, bare, list.length));
    } finally {
      await bare.stop();
      await sink.close();
    }
    const exported = sink.stats();
    if (exported.requests === 0) throw new Error('tracing on exported nothing to the OTLP receiver');
    const median = (samples: readonly number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    // Each mode against the bare chains run between its own runs: the machine's load moves between modes.
    const [off, on] = list.map((m) => median(results[m.label]!.seq.serverMs) / median(results[m.label]!.bareSeqMs));
    return {
      rows: list.flatMap((m) => rows(m, env.BENCH_BURST_RUNS, results[m.label]!, baseline)),
      notes: [
        `Sequential e2e median against the bare chain interleaved with the same runs: tracing off ${off!.toFixed(2)}×, on ${on!.toFixed(2)}×. ` +
          `The receiver got ${exported.requests} OTLP export requests, ${(exported.bytes / 1024).toFixed(0)} KiB of spans.`,
      ],
      details: { weft: results, baseline, exported },
    };
  },
};
