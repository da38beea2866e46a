import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureChromium, runInstall, systemProbe } from '@weft/chromium';
import { missingOpsPrerequisite } from '../../tests/faults/src/ops/prerequisites';
import { ROOT, ensurePostgres, ensureRedis, withDatabase } from './infra';

interface Step {
  name: string;
  cmd: string;
  args: string[];
  /** Runs first: more environment for the step, or why it cannot run (one line; the step then fails at once). */
  needs?: () => Promise<{ env: Record<string, string> } | { missing: string }>;
}

/** The browser tests' Chromium: found (WEFT_CHROMIUM, the system's, Playwright's) or installed where possible. */
async function chromium(): Promise<{ env: Record<string, string> } | { missing: string }> {
  const found = await ensureChromium(systemProbe(), (attempt) => runInstall(attempt), (line) => console.log(line));
  if (!found.found) return { missing: found.line };
  console.log(`• Chromium: ${found.path} (${found.source})`);
  return { env: { WEFT_CHROMIUM: found.path } };
}

/** The ops tests run their own Postgres and Redis in network namespaces: root and the server binaries. */
async function opsPrerequisites(): Promise<{ env: Record<string, string> } | { missing: string }> {
  const missing = missingOpsPrerequisite();
  return missing ? { missing } : { env: {} };
}

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

/** Every check `npm test` runs, in order. All run even if one fails; any failure fails the whole. */
const STEPS: Step[] = [
  { name: 'typecheck + lint (turbo)', cmd: bin('turbo'), args: ['run', 'typecheck', 'lint', '--output-logs=errors-only'] },
  { name: 'circular imports (madge)', cmd: bin('madge'), args: ['--circular', '--ts-config', 'tsconfig.madge.json', '--extensions', 'ts,tsx', '--exclude', 'generated|node_modules|\\.next', 'packages', 'services', 'apps', 'tests'] },
  { name: 'unit + integration tests (vitest)', cmd: bin('vitest'), args: ['run'] },
  { name: 'fault-injection tests (vitest, real processes killed, frozen, cut off)', cmd: bin('vitest'), args: ['run', '--config', 'tests/faults/vitest.config.ts'] },
  // Hosts as network namespaces (tests/faults/vitest.ops.config.ts): the scale-out test, about 2.5 min.
  { name: 'ops tests (vitest, services on 7 hosts as network namespaces, hosts cut off)', cmd: bin('vitest'), args: ['run', '--config', 'tests/faults/vitest.ops.config.ts'], needs: opsPrerequisites },
  // The browser tests run the built studio (turbo restores an unchanged build from its cache).
  { name: 'studio build (next, via turbo)', cmd: bin('turbo'), args: ['run', 'build', '--filter=@weft/studio', '--output-logs=errors-only'] },
  { name: 'studio browser tests (playwright)', cmd: join(ROOT, 'apps/studio/node_modules/.bin/playwright'), args: ['test', '--config', 'apps/studio/playwright.config.ts', '--project=e2e'], needs: chromium },
  { name: 'dashboard build (next, via turbo)', cmd: bin('turbo'), args: ['run', 'build', '--filter=@weft/dashboard', '--output-logs=errors-only'] },
  { name: 'dashboard browser tests (playwright)', cmd: join(ROOT, 'apps/dashboard/node_modules/.bin/playwright'), args: ['test', '--config', 'apps/dashboard/playwright.config.ts', '--project=e2e'], needs: chromium },
];

async function run(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n▶ ${step.name}`);
  const needs = await step.needs?.();
  if (needs && 'missing' in needs) {
    console.log(`✖ ${step.name}: ${needs.missing}`);
    return 1;
  }
  const stepEnv = { ...env, ...needs?.env };
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd, step.args, { cwd: ROOT, env: stepEnv, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      console.log(`${status === 0 ? '✔' : '✖'} ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve(status);
    });
  });
}

async function main() {
  const pg = await ensurePostgres();
  const redis = await ensureRedis();
  console.log(`• Postgres: ${pg.source}\n• Redis:    ${redis.source}`);
  const only = process.argv.slice(2);
  const env = {
    ...process.env,
    // Test files create their own databases on this server and their own Redis key prefixes.
    DATABASE_URL: withDatabase(pg.url, 'postgres'),
    REDIS_URL: redis.url,
    // turbo looks for the package manager on PATH; the workspace pins pnpm as a dev dependency.
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
  };
  const results: [string, number][] = [];
  for (const step of STEPS) {
    if (only.length && !only.some((o) => step.name.includes(o))) continue;
    results.push([step.name, await run(step, env)]);
  }
  await redis.stop();
  await pg.stop();
  const failed = results.filter(([, code]) => code !== 0);
  console.log('\n── npm test summary ──');
  for (const [name, code] of results) console.log(`${code === 0 ? '✔' : '✖'} ${name}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(`✖ ${(err as Error).message}`);
  process.exit(1);
});
