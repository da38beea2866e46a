// `npm run bench [-- <workload>...]`: runs the benchmark workloads of bench/ (all, or the ones named)
// and writes bench/results/latest.{json,md}. Needs the Postgres and Redis of DATABASE_URL / REDIS_URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pnpm } from './lib/pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;

if (!existsSync(join(root, 'node_modules'))) {
  console.log('• Installing dependencies (pnpm)…');
  pnpm(['install', '--frozen-lockfile'], { cwd: root });
}
// The Prisma client is generated, not committed; the gateway needs it.
if (!existsSync(join(root, 'packages/db/src/generated/client.ts'))) {
  console.log('• Generating the Prisma client…');
  const res = spawnSync(join(root, 'packages/db/node_modules/.bin/prisma'), ['generate'], {
    cwd: join(root, 'packages/db'),
    stdio: ['ignore', 'ignore', 'inherit'],
    // Generation runs in WebAssembly; the CLI only insists that an engine path exists.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/src/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
