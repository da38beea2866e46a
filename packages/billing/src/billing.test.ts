import { describe, expect, it } from 'vitest';
import { daysAgo, seedOrg, seedRun, useDatabase } from '../test/seed';
import { aggregateUsage } from './aggregate';
import { computeInvoice, runCost } from './invoice';
import { upsertPlan } from './plans';
import { QuotaGuard } from './quotas';
import { utcDay } from './sql';
import { usageTotals } from './usage-totals';

const t = useDatabase();

const PRICES = { run: 1000, step_ms: 7, llm_tokens_in: 3, llm_tokens_out: 11, http_bytes: 1 };

describe('the daily aggregation', () => {
  it('UPSERTs per org, day, kind, node type and workflow; a re-run changes nothing; today stays live', async () => {
    const org = await seedOrg(t.pool);
    await seedRun(t.pool, org, daysAgo(3), [{ nodeType: 'http_request', ms: 120, extra: [{ kind: 'http_bytes', quantity: 500 }] }, { nodeType: 'function', ms: 30 }]);
    await seedRun(t.pool, org, daysAgo(2), [{ nodeType: 'function', ms: 45 }]);
    await aggregateUsage(t.pool);
    const snapshot = async () =>
      (await t.pool.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, node_type, quantity::int AS q, events::int AS n FROM usage_daily WHERE org_id = $1 ORDER BY 1, 2, 3`, [org.orgId])).rows;
    const first = await snapshot();
    expect(first).toEqual([
      { day: utcDay(daysAgo(3)), kind: 'http_bytes', node_type: 'http_request', q: 500, n: 1 },
      { day: utcDay(daysAgo(3)), kind: 'run', node_type: '', q: 1, n: 1 },
      { day: utcDay(daysAgo(3)), kind: 'step_ms', node_type: 'function', q: 30, n: 1 },
      { day: utcDay(daysAgo(3)), kind: 'step_ms', node_type: 'http_request', q: 120, n: 1 },
      { day: utcDay(daysAgo(2)), kind: 'run', node_type: '', q: 1, n: 1 },
      { day: utcDay(daysAgo(2)), kind: 'step_ms', node_type: 'function', q: 45, n: 1 },
    ]);
    await aggregateUsage(t.pool);
    expect(await snapshot()).toEqual(first);
    // Today's events are not aggregated into a closed day, yet the totals include them.
    await seedRun(t.pool, org, new Date(), [{ nodeType: 'function', ms: 5 }]);
    const range = { from: utcDay(daysAgo(3)), to: utcDay(new Date()) };
    const byDay = await usageTotals(t.pool, org.orgId, range, 'day');
    expect(byDay.totals).toEqual({ run: 3, step_ms: 200, http_bytes: 500 });
    expect(byDay.items.map((i) => i.key)).toEqual([utcDay(daysAgo(3)), utcDay(daysAgo(2)), utcDay(new Date())]);
    const byType = await usageTotals(t.pool, org.orgId, range, 'nodeType');
    expect(byType.items).toEqual([
      { key: '', totals: { run: 3 } },
      { key: 'function', totals: { step_ms: 80 } },
      { key: 'http_request', totals: { http_bytes: 500, step_ms: 120 } },
    ]);
    const byWorkflow = await usageTotals(t.pool, org.orgId, range, 'workflow');
    expect(byWorkflow.items).toEqual([{ key: org.workflowId, totals: { run: 3, step_ms: 200, http_bytes: 500 } }]);
    // Another org's usage is not this org's.
    const other = await seedOrg(t.pool);
    expect((await usageTotals(t.pool, other.orgId, range, 'day')).items).toEqual([]);
  });
});

describe('invoices and per-run costs', () => {
  it('prices the aggregates in integer micro-units, and the per-run costs add up exactly to the invoice', async () => {
    await upsertPlan(t.pool, { id: 'metered', name: 'Metered', runsPerMonth: null, stepSecondsPerMonth: null, concurrentRuns: null, prices: PRICES });
    const org = await seedOrg(t.pool, 'metered');
    const runs = [
      await seedRun(t.pool, org, daysAgo(2), [{ nodeType: 'llm_completion', ms: 901, extra: [{ kind: 'llm_tokens_in', quantity: 333 }, { kind: 'llm_tokens_out', quantity: 77 }, { kind: 'http_bytes', quantity: 2048 }] }]),
      await seedRun(t.pool, org, daysAgo(1), [{ nodeType: 'function', ms: 13 }, { nodeType: 'function', ms: 17 }]),
      await seedRun(t.pool, org, new Date(), [{ nodeType: 'http_request', ms: 250, extra: [{ kind: 'http_bytes', quantity: 99 }] }], { status: 'running' }),
    ];
    // A for_each iteration's steps are its parent run's cost.
    await seedRun(t.pool, org, new Date(), [{ nodeType: 'transform', ms: 3 }], { parentRunId: runs[2]!, status: 'succeeded' });
    await aggregateUsage(t.pool);
    const invoice = await computeInvoice(t.pool, org.orgId, { from: utcDay(daysAgo(2)), to: utcDay(new Date()) });
    expect(invoice.lines).toEqual([
      { kind: 'http_bytes', quantity: '2147', unitPriceMicros: 1, amountMicros: '2147' },
      { kind: 'llm_tokens_in', quantity: '333', unitPriceMicros: 3, amountMicros: '999' },
      { kind: 'llm_tokens_out', quantity: '77', unitPriceMicros: 11, amountMicros: '847' },
      { kind: 'run', quantity: '3', unitPriceMicros: 1000, amountMicros: '3000' },
      { kind: 'step_ms', quantity: '1184', unitPriceMicros: 7, amountMicros: '8288' },
    ]);
    expect(invoice.totalMicros).toBe('15281');
    const costs = await Promise.all(runs.map((id) => runCost(t.pool, org.orgId, id)));
    expect(costs.map((c) => c!.totalMicros)).toEqual([String(1000 + 901 * 7 + 333 * 3 + 77 * 11 + 2048), String(1000 + 30 * 7), String(1000 + 253 * 7 + 99)]);
    expect(costs.reduce((sum, c) => sum + BigInt(c!.totalMicros), 0n)).toBe(BigInt(invoice.totalMicros));
    // Another org cannot price this org's run.
    const other = await seedOrg(t.pool, 'metered');
    expect(await runCost(t.pool, other.orgId, runs[0]!)).toBeUndefined();
  });
});

describe('quotas', () => {
  it('never counts an org on the unlimited default plan', async () => {
    const org = await seedOrg(t.pool);
    await seedRun(t.pool, org, new Date(), [{ nodeType: 'function', ms: 10_000_000 }], { status: 'running' });
    expect(await new QuotaGuard(t.pool).refusal(org.orgId)).toBeUndefined();
  });

  it('refuses a run over the monthly runs quota with 402, naming the quota, its limit and its reset', async () => {
    await upsertPlan(t.pool, { id: 'small', name: 'Small', runsPerMonth: 2, stepSecondsPerMonth: 5, concurrentRuns: null });
    const org = await seedOrg(t.pool, 'small');
    const guard = new QuotaGuard(t.pool);
    await seedRun(t.pool, org, new Date(), [{ nodeType: 'function', ms: 100 }]);
    expect(await guard.refusal(org.orgId)).toBeUndefined();
    // A run this process started since the totals were read (cached): counted at once.
    guard.runStarted(org.orgId);
    const refused = await guard.refusal(org.orgId);
    expect(refused).toMatchObject({ quota: 'runs_per_month', plan: 'small', limit: 2, used: 2, status: 402 });
    const now = new Date();
    expect(refused!.resetsAt).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(refused!.message).toContain('runs_per_month');
  });

  it('refuses over the step-seconds quota (402) and over concurrent runs (429)', async () => {
    await upsertPlan(t.pool, { id: 'tight', name: 'Tight', runsPerMonth: null, stepSecondsPerMonth: 2, concurrentRuns: null });
    const org = await seedOrg(t.pool, 'tight');
    await seedRun(t.pool, org, new Date(), [{ nodeType: 'function', ms: 2500 }]);
    expect(await new QuotaGuard(t.pool).refusal(org.orgId)).toMatchObject({ quota: 'step_seconds_per_month', limit: 2, used: 2, status: 402 });

    await upsertPlan(t.pool, { id: 'one-at-a-time', name: 'One', runsPerMonth: null, stepSecondsPerMonth: null, concurrentRuns: 1 });
    const busy = await seedOrg(t.pool, 'one-at-a-time');
    const guard = new QuotaGuard(t.pool);
    await seedRun(t.pool, busy, new Date(), [], { status: 'succeeded' });
    expect(await guard.refusal(busy.orgId)).toBeUndefined();
    await seedRun(t.pool, busy, new Date(), [], { status: 'waiting' });
    expect(await guard.refusal(busy.orgId)).toMatchObject({ quota: 'concurrent_runs', limit: 1, used: 1, status: 429, resetsAt: null });
  });
});
