// `npm run bench [-- <workload>...]`: measures Weft against its baselines and writes bench/results/latest.{json,md}.
import { loadavg } from 'node:os';
import { loadEnv } from './env';
import { createInfra } from './infra';
import { watchForeignLoad } from './machine';
import { PLATFORM_MODE, startPlatform, type BenchPlatform } from './platform';
import { newReport, toMarkdown, writeReport } from './report';
import { WORKLOADS } from './workloads';

const log = (message: string) => process.stderr.write(`• ${message}\n`);

/** What to undo if the bench is interrupted (Ctrl-C, kill): services stopped, database and keys removed. */
const undo: (() => Promise<void>)[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the services and removing the bench database`);
    void undo.reduceRight((p, fn) => p.then(fn, fn), Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(args: string[]): Promise<void> {
  const unknown = args.filter((a) => !WORKLOADS.some((w) => w.name === a));
  if (unknown.length) {
    console.error(`✖ unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
    process.exit(2);
  }
  const selected = args.length ? WORKLOADS.filter((w) => args.includes(w.name)) : WORKLOADS.filter((w) => !w.onlyWhenNamed);
  const env = loadEnv();
  const started = performance.now();
  const loadBefore = loadavg()[0]!;

  log('creating a fresh database and Redis prefix');
  const infra = await createInfra(env.DATABASE_URL, env.REDIS_URL);
  undo.push(() => infra.drop());
  try {
    const foreign = watchForeignLoad(new URL(infra.databaseUrl).pathname.slice(1));
    const { DATABASE_URL: _db, REDIS_URL: _redis, ...settings } = env;
    const report = newReport(PLATFORM_MODE, settings, loadBefore);
    const withPlatform = async <T>(overrides: Record<string, string>, fn: (p: BenchPlatform) => Promise<T>, opts: { executors?: number } = {}): Promise<T> => {
      const shown = Object.entries(overrides).map(([k, v]) => `${k}=${k === 'WEFT_KEKS' ? '(a bench KEK)' : v}`).join(' ');
      const executors = opts.executors ?? 1;
      log(`starting gateway, orchestrator and ${executors === 1 ? 'executor' : `${executors} executors`}${shown ? ` with ${shown}` : ''}`);
      const platform = await startPlatform(infra, { overrides, startTimeoutMs: env.BENCH_START_TIMEOUT_MS, executors });
      undo.push(() => platform.stop());
      try {
        return await fn(platform);
      } finally {
        await platform.stop();
        undo.pop();
      }
    };
    try {
      for (const w of selected) {
        const result = await w.run({ env, infra, withPlatform, log });
        report.rows.push(...result.rows);
        report.workloads[w.name] = { description: w.description, notes: result.notes, details: result.details };
      }
    } finally {
      report.machine.foreign = foreign.stop();
    }
    const share = report.machine.foreign?.share ?? 0;
    if (share > 0.05) log(`other processes took ${Math.round(share * 100)}% of the CPUs during the run: the numbers are slower and noisier than on a quiet machine`);
    await writeReport(report, new URL('../results/', import.meta.url));
    process.stdout.write(`\n${toMarkdown(report)}`);
  } finally {
    await infra.drop();
    const left = await infra.countKeys();
    log(`cleaned up: database dropped, ${left} Redis keys left under ${infra.prefix}`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote bench/results/latest.json and latest.md`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`✖ bench failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
