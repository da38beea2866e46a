import { int, parseEnv } from '@weft/config';
import pg from 'pg';
import { z } from 'zod';
import { LoadBrowser, type LoadSample, type PageUnderTest } from '../dashboard/load';
import type { Row } from '../report';
import { seed } from '../runs10m/seed';
import { round, summarize } from '../stats';
import { buildStudio, startStudio, studioSession } from '../studio/server';
import { publishWorkflow } from '../weft-runs';
import type { Workload } from './types';

const DashboardEnvSchema = z.object({
  /** Runs stored before the pages are opened (seeded as runs10m seeds them, same shape). */
  BENCH_DASHBOARD_RUNS: int(1_000_000),
  /** Measured loads of each page, cold and warm, after one warm-up pass. */
  BENCH_DASHBOARD_LOADS: int(7),
});

/**
 * The baseline: a page of the same server with no data of its own (Next's 404 page, inside the
 * app's layout: the framework, the shell, no API call of the page). Then the two pages a person
 * opens first, each ready when its data is on screen.
 */
const BASELINE: PageUnderTest = { label: "Next's 404 page (baseline)", path: '/bench-no-such-page', ready: 'h1.next-error-h1' };
const PAGES: PageUnderTest[] = [
  { label: 'home', path: '/', ready: '[data-testid="status-chart"]' },
  { label: 'runs', path: '/runs', ready: '[data-testid="run-row"]' },
];

interface PageLoads {
  page: PageUnderTest;
  cold: LoadSample[];
  warm: LoadSample[];
}

const med = (xs: LoadSample[], f: (s: LoadSample) => number) => summarize(xs.map(f)).median;
const kib = (bytes: number) => round(bytes / 1024, 1);

function rows(base: PageLoads, pages: PageLoads[]): Row[] {
  const n = base.cold.length;
  const row = (metric: string, weft: number, baseline: number): Row => ({ workload: 'dashboard', metric, weft, baseline, better: 'lower' });
  return pages.flatMap((p) => [
    row(`${p.page.label}: cold first load → data on screen, median (ms, n=${n}; baseline = 404 page's content)`, med(p.cold, (s) => s.contentMs), med(base.cold, (s) => s.contentMs)),
    row(`${p.page.label}: cold first load → data on screen, p95 (ms)`, summarize(p.cold.map((s) => s.contentMs)).p95, summarize(base.cold.map((s) => s.contentMs)).p95),
    row(`${p.page.label}: cold: first contentful paint, median (ms)`, med(p.cold, (s) => s.fcpMs), med(base.cold, (s) => s.fcpMs)),
    row(`${p.page.label}: cold: load event, median (ms)`, med(p.cold, (s) => s.loadMs), med(base.cold, (s) => s.loadMs)),
    row(`${p.page.label}: cold: JS transferred (KiB, compressed over the wire)`, kib(med(p.cold, (s) => s.jsTransferred)), kib(med(base.cold, (s) => s.jsTransferred))),
    row(`${p.page.label}: cold: JS decoded (KiB)`, kib(med(p.cold, (s) => s.jsDecoded)), kib(med(base.cold, (s) => s.jsDecoded))),
    row(`${p.page.label}: cold: HTML transferred (KiB)`, kib(med(p.cold, (s) => s.htmlTransferred)), kib(med(base.cold, (s) => s.htmlTransferred))),
    row(`${p.page.label}: warm load → data on screen, median (ms)`, med(p.warm, (s) => s.contentMs), med(base.warm, (s) => s.contentMs)),
    row(`${p.page.label}: warm load → data on screen, p95 (ms)`, summarize(p.warm.map((s) => s.contentMs)).p95, summarize(base.warm.map((s) => s.contentMs)).p95),
    row(`${p.page.label}: warm: JS transferred (KiB)`, kib(med(p.warm, (s) => s.jsTransferred)), kib(med(base.warm, (s) => s.jsTransferred))),
  ]);
}

function notes(base: PageLoads, pages: PageLoads[], env: z.infer<typeof DashboardEnvSchema>, browser: LoadBrowser, first: { label: string; sample: LoadSample }[]): string[] {
  const line = (p: PageLoads) =>
    `- **${p.page.label}** (\`${p.page.path}\`, ready = \`${p.page.ready}\`): cold ${round(med(p.cold, (s) => s.contentMs))} ms to data (FCP ${round(med(p.cold, (s) => s.fcpMs))} ms, first byte ${round(med(p.cold, (s) => s.ttfbMs))} ms), ` +
    `${med(p.cold, (s) => s.jsFiles)} scripts, ${kib(med(p.cold, (s) => s.jsTransferred))} KiB JS over the wire (${kib(med(p.cold, (s) => s.jsDecoded))} KiB decoded); ` +
    `warm ${round(med(p.warm, (s) => s.contentMs))} ms, ${kib(med(p.warm, (s) => s.jsTransferred))} KiB JS over the wire.`;
  return [
    `The built dashboard (\`next start\`, apps/dashboard) against the bench's services with ${env.BENCH_DASHBOARD_RUNS.toLocaleString('en')} runs stored (seeded as runs10m seeds them: the signed-in user's org holds 40 %, ` +
      `88 % succeeded, 8 % failed, 4 % cancelled, 0.2 % waiting, over 90 days), opened in headless ${browser.version} (${browser.executablePath}; software rendering), signed in with a session cookie as the studio row does.`,
    `- **cold first load** = a new browser context (empty HTTP cache, no service worker), one navigation; **warm load** = a second page of that same context right after (scripts from the HTTP cache; the page's API calls are made again). ` +
      `Each round opens the baseline, then each page, cold then warm; ${env.BENCH_DASHBOARD_LOADS} rounds after one warm-up round (the server's first render of each route is in the warm-up, shown below).`,
    '- **data on screen** = the time from the navigation start until the page\'s ready element is inserted into the DOM (a MutationObserver installed before the first byte): home — the "Runs today" chart (after /v1/runs/counts and the newest failed runs answered); ' +
      'runs — the first row of the runs table (after GET /v1/runs answered). It is painted in the next frame. **JS transferred** = the script resources\' `transferSize` (resource timing: compressed bytes over the wire, 0 when from the cache), read 300 ms after the load event and the ready element.',
    `- Baseline: ${BASELINE.label} (\`${BASELINE.path}\`, ready = its \`${BASELINE.ready}\`): the same server, framework and app shell with no data of the page: cold ${round(med(base.cold, (s) => s.contentMs))} ms, ` +
      `${kib(med(base.cold, (s) => s.jsTransferred))} KiB JS over the wire; warm ${round(med(base.warm, (s) => s.contentMs))} ms.`,
    ...pages.map(line),
    '',
    'The API calls of each page (fetches through the app\'s /api/weft proxy to the gateway: request start → response end, ms from the navigation start), in the last cold load:',
    '',
    ...pages.flatMap((p) => [`- ${p.page.label}:`, ...p.cold[p.cold.length - 1]!.apiCalls.map((c) => `  - \`${c.path.replace(/since=[^&]*/, 'since=…')}\` ${round(c.startMs)} → ${round(c.endMs)}`)]),
    `- The warm-up round (each route's first render after \`next start\`, a cold browser too): ${first.map((f) => `${f.label} ${round(f.sample.contentMs)} ms`).join(', ')}.`,
  ];
}

export const dashboard: Workload = {
  name: 'dashboard',
  onlyWhenNamed: true,
  description:
    'The dashboard\'s first load: the built dashboard (next start) against a seeded platform (BENCH_DASHBOARD_RUNS runs, 1,000,000 by default), in headless Chromium: the home page and the runs page, ' +
    'cold (new browser context, empty cache) and warm, time until the page\'s data is on screen and the JS bytes transferred. Baseline: Next\'s 404 page of the same server, same run.',

  async run(ctx) {
    const env = parseEnv(DashboardEnvSchema, process.env);
    buildStudio(ctx.log, 'dashboard');
    return ctx.withPlatform({ WEFT_RECONCILE_AFTER_MS: String(10 * 86_400_000) }, async (platform) => {
      const db = new pg.Client({ connectionString: ctx.infra.databaseUrl });
      await db.connect();
      try {
        const workflowId = await publishWorkflow(platform.client, 'bench dashboard', { nodes: [{ id: 'start', type: 'trigger', config: {} }], edges: [] });
        const { rows: [v] } = await db.query<{ org_id: string; id: string }>('SELECT org_id, id FROM workflow_versions WHERE workflow_id = $1', [workflowId]);
        ctx.log(`dashboard: seeding ${env.BENCH_DASHBOARD_RUNS.toLocaleString('en')} runs`);
        await seed(db, { rows: env.BENCH_DASHBOARD_RUNS, orgId: v!.org_id, workflowId, versionId: v!.id, days: 90 }, ctx.log);
      } finally {
        await db.end();
      }
      const cookie = await studioSession(ctx.infra.databaseUrl);
      ctx.log('dashboard: next start');
      const app = await startStudio(platform.url, 60_000, 'dashboard');
      const all = [BASELINE, ...PAGES];
      const browser = await LoadBrowser.launch(app.url, cookie, all);
      try {
        const loads = all.map((page): PageLoads => ({ page, cold: [], warm: [] }));
        const first: { label: string; sample: LoadSample }[] = [];
        for (let pass = 0; pass <= env.BENCH_DASHBOARD_LOADS; pass++) {
          ctx.log(pass ? `dashboard: round ${pass}/${env.BENCH_DASHBOARD_LOADS}` : 'dashboard: warm-up round');
          for (const l of loads) {
            const context = await browser.newContext();
            try {
              const cold = await browser.load(context, l.page);
              const warm = await browser.load(context, l.page);
              if (pass === 0) first.push({ label: l.page.label, sample: cold });
              else {
                l.cold.push(cold);
                l.warm.push(warm);
              }
            } finally {
              await context.close();
            }
          }
        }
        const [base, ...pages] = loads as [PageLoads, ...PageLoads[]];
        for (const p of pages) ctx.log(`dashboard: ${p.page.label}: cold ${round(med(p.cold, (s) => s.contentMs))} ms, warm ${round(med(p.warm, (s) => s.contentMs))} ms to data`);
        return {
          rows: rows(base, pages),
          notes: notes(base, pages, env, browser, first),
          details: { settings: env, loads: loads.map((l) => ({ page: l.page, cold: l.cold, warm: l.warm })), warmUp: first },
        };
      } finally {
        await browser.close();
        await app.stop();
      }
    });
  },
};
