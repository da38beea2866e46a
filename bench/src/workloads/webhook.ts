import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { int, parseEnv } from '@weft/config';
import { signStandard } from '@weft/webhook-signatures';
import type { CreateWorkflowBody } from '@weft/workflow-schema';
import pg from 'pg';
import { z } from 'zod';
import { startSubmitBaseline } from '../baseline/submit-baseline';
import { freePort } from '../platform';
import type { Row } from '../report';
import { summarize } from '../stats';
import { publishWorkflow } from '../weft-runs';
import type { Workload, WorkloadContext } from './types';

const WebhookEnvSchema = z.object({
  /** Length of each measured window (s), per concurrency level. */
  BENCH_WEBHOOK_SECONDS: int(15),
  /** Comma-separated numbers of concurrent senders (the 3, 50 and 200). */
  BENCH_WEBHOOK_SENDERS: z.string().default('3,50,200'),
  /** One delivery in this many is a redelivery of one already acknowledged (must get the same run). */
  BENCH_WEBHOOK_REDELIVER_EVERY: int(10),
  /** How long to wait for the runs to finish after each window (s). */
  BENCH_WEBHOOK_DRAIN_TIMEOUT_SECONDS: int(300),
});

/** trigger → transform: the 2-step workflow. */
function definition(): CreateWorkflowBody['definition'] {
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      { id: 'shape', type: 'transform', config: { expression: '{ order: input.body.order, at: input.receivedAt }' } },
    ],
    edges: [{ source: 'trigger', target: 'shape' }],
  };
}

interface Window {
  wallMs: number;
  latencyMs: number[];
  statuses: Record<string, number>;
  /** Delivery id → the run id its 2xx named (Weft), for the lost/duplicated count. */
  acked: Map<string, string>;
  /** Redeliveries answered with another run than the first delivery's. */
  redeliveryMismatches: number;
}

/** POST with per-request headers; the status and the parsed JSON answer. */
function send(agent: Agent, url: URL, headers: Record<string, string>, payload: string): Promise<{ status: number; body: { runId?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as { runId?: string }) : {} }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Closed loop: `senders` clients on keep-alive connections, each sending its next delivery when
 * the previous one is answered. Weft deliveries are signed (Standard Webhooks, a fresh webhook-id
 * each); one in `redeliverEvery` resends an acknowledged one.
 */
async function closedLoop(target: { url: string; path: string; secret?: string }, senders: number, durationMs: number, redeliverEvery: number, tag: string): Promise<Window> {
  const agent = new Agent({ keepAlive: true, maxSockets: senders, maxFreeSockets: senders });
  const url = new URL(target.path, target.url);
  const w: Window = { wallMs: 0, latencyMs: [], statuses: {}, acked: new Map(), redeliveryMismatches: 0 };
  const ackedIds: string[] = [];
  let next = 0;
  const t0 = performance.now();
  const until = t0 + durationMs;
  const sender = async () => {
    while (performance.now() < until) {
      const i = next++;
      const again = target.secret && redeliverEvery > 0 && i % redeliverEvery === redeliverEvery - 1 && ackedIds.length > 0;
      const id = again ? ackedIds[i % ackedIds.length]! : `${tag}-${i}`;
      const payload = JSON.stringify(target.secret ? { order: id } : { inputs: { order: id } });
      const ts = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = target.secret ? { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandard(target.secret, id, ts, payload) } : {};
      const sent = performance.now();
      const answer = await send(agent, url, headers, payload).catch(() => ({ status: 'network' as const, body: {} as { runId?: string } }));
      w.statuses[answer.status] = (w.statuses[answer.status] ?? 0) + 1;
      if (typeof answer.status !== 'number' || answer.status < 200 || answer.status >= 300) continue;
      w.latencyMs.push(performance.now() - sent);
      if (!target.secret) continue;
      const first = w.acked.get(id);
      if (first === undefined) {
        w.acked.set(id, answer.body.runId ?? '');
        ackedIds.push(id);
      } else if (first !== answer.body.runId) w.redeliveryMismatches++;
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  w.wallMs = performance.now() - t0;
  agent.destroy();
  return w;
}

async function waitFor(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

interface Level {
  senders: number;
  weft: Window;
  bare: Window;
  lost: number;
  duplicated: number;
  unfinished: number;
}

export const webhook: Workload = {
  name: 'webhook',
  description:
    'Signed deliveries (Standard Webhooks, a fresh webhook-id each, one in BENCH_WEBHOOK_REDELIVER_EVERY (10) a redelivery of an acknowledged one) POSTed to the webhooks service, ' +
    'each starting a run of a 2-step workflow (trigger → transform), by 3, 50 and 200 concurrent senders in closed loop for BENCH_WEBHOOK_SECONDS (15) each. ' +
    'Ack latency: request sent → 202 read (the delivery row, the run, its event and outbox row committed). After each window the runs drain, then every acknowledged delivery id ' +
    'must have exactly one run (lost: none; duplicated: more than one) and every redelivery the first run id. ' +
    'Baseline (bare-fastify-bullmq, the same process as submit100\'s): a bare Fastify server doing one INSERT and one BullMQ add per request, no signature, dedupe, validation, events or outbox; ' +
    'same senders and windows, run right after each Weft window. The per-hook rate limit is raised out of the way (its Redis call stays on the path).',

  async run(ctx: WorkloadContext) {
    const s = parseEnv(WebhookEnvSchema, process.env);
    const levels = s.BENCH_WEBHOOK_SENDERS.split(',').map((n) => Number(n.trim())).filter((n) => n > 0);
    const port = await freePort();
    const kek = `bench-1:${randomBytes(32).toString('base64')}`;
    const overrides = {
      WEFT_WEBHOOKS_PORT: String(port), WEFT_KEKS: kek, WEFT_KEK_CURRENT: 'bench-1',
      WEFT_WEBHOOKS_RATE_PER_SEC: '1000000', WEFT_WEBHOOKS_RATE_BURST: '1000000', WEFT_WEBHOOKS_ORG_RATE_PER_SEC: '1000000', WEFT_WEBHOOKS_ORG_RATE_BURST: '1000000',
    };
    const bare = await startSubmitBaseline(ctx.infra, ctx.env.BENCH_BASELINE_CONCURRENCY);
    const db = new pg.Client({ connectionString: ctx.infra.databaseUrl });
    await db.connect();
    try {
      const measured = await ctx.withPlatform(overrides, async (platform) => {
        const workflowId = await publishWorkflow(platform.client, 'bench webhook', definition());
        const created = await platform.client.createWebhook(workflowId, { verification: { scheme: 'standard-webhooks' } });
        const weftTarget = { url: `http://127.0.0.1:${port}`, path: `/hooks/${created.id}`, secret: created.secret! };
        const runsDone = async () => {
          const { rows } = await db.query<{ live: number }>(`SELECT count(*)::int AS live FROM runs WHERE trigger_id = $1 AND status IN ('queued', 'running', 'waiting')`, [created.id]);
          return rows[0]!.live === 0;
        };
        ctx.log('webhook: 3 s warm-up');
        await closedLoop(weftTarget, 10, 3000, 0, 'warm');
        await closedLoop({ url: bare.url, path: '/runs' }, 10, 3000, 0, 'warm');
        const out: Level[] = [];
        for (const senders of levels) {
          ctx.log(`webhook: ${s.BENCH_WEBHOOK_SECONDS} s with ${senders} senders (weft)`);
          const weft = await closedLoop(weftTarget, senders, s.BENCH_WEBHOOK_SECONDS * 1000, s.BENCH_WEBHOOK_REDELIVER_EVERY, `s${senders}`);
          const drained = await waitFor(runsDone, s.BENCH_WEBHOOK_DRAIN_TIMEOUT_SECONDS * 1000);
          const { rows } = await db.query<{ key: string; runs: number }>(
            `SELECT inputs->'headers'->>'webhook-id' AS key, count(*)::int AS runs FROM runs WHERE trigger_id = $1 AND inputs->'headers'->>'webhook-id' LIKE $2 GROUP BY 1`,
            [created.id, `s${senders}-%`],
          );
          const runsPer = new Map(rows.map((r) => [r.key, r.runs]));
          const lost = [...weft.acked.keys()].filter((k) => !runsPer.has(k)).length;
          const duplicated = rows.filter((r) => r.runs > 1).length;
          const { rows: [left] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE trigger_id = $1 AND status <> 'succeeded'`, [created.id]);
          if (!drained) ctx.log(`webhook: ${left!.n} runs unfinished after the drain timeout`);
          ctx.log(`webhook: ${s.BENCH_WEBHOOK_SECONDS} s with ${senders} senders (bare-fastify-bullmq)`);
          const bareWindow = await closedLoop({ url: bare.url, path: '/runs' }, senders, s.BENCH_WEBHOOK_SECONDS * 1000, 0, `b${senders}`);
          out.push({ senders, weft, bare: bareWindow, lost: lost + weft.redeliveryMismatches, duplicated, unfinished: left!.n });
        }
        return out;
      });
      const rows: Row[] = measured.flatMap((l) => {
        const workload = `webhook, ${l.senders} senders`;
        const w = summarize(l.weft.latencyMs);
        const b = summarize(l.bare.latencyMs);
        const errors = (x: Window) => Object.entries(x.statuses).filter(([st]) => !/^2\d\d$/.test(st)).reduce((a, [, n]) => a + n, 0);
        return [
          { workload, metric: `accepted deliveries/s (2xx, ${s.BENCH_WEBHOOK_SECONDS} s closed loop)`, weft: w.n / (l.weft.wallMs / 1000), baseline: b.n / (l.bare.wallMs / 1000), better: 'higher' as const },
          { workload, metric: `ack latency p95 (ms, n=${w.n})`, weft: w.p95, baseline: b.p95, better: 'lower' as const },
          { workload, metric: 'ack latency p99 (ms)', weft: w.p99, baseline: b.p99, better: 'lower' as const },
          { workload, metric: 'errors (non-2xx, no answer)', weft: errors(l.weft), baseline: errors(l.bare), better: 'lower' as const },
          { workload, metric: 'lost (acked id without a run, or a redelivery with another run)', weft: l.lost, baseline: null, better: 'lower' as const },
          { workload, metric: 'duplicated (delivery ids with more than one run)', weft: l.duplicated, baseline: null, better: 'lower' as const },
          { workload, metric: 'runs not succeeded after the drain', weft: l.unfinished, baseline: null, better: 'lower' as const },
        ];
      });
      return {
        rows,
        notes: measured.map((l) => `Answers by status, ${l.senders} senders: weft ${JSON.stringify(l.weft.statuses)}; baseline ${JSON.stringify(l.bare.statuses)}.`),
        details: Object.fromEntries(measured.map((l) => [l.senders, { weft: summarize(l.weft.latencyMs), bare: summarize(l.bare.latencyMs), lost: l.lost, duplicated: l.duplicated }])),
      };
    } finally {
      await db.end();
      await bare.stop();
    }
  },
};
