// Lays out one service as its production image holds it, in <out>:
//   dist/            the compiled service (scripts/build/service.mjs): main.mjs, migrate.mjs, functions/
//   prisma/migrations the SQL migrations dist/migrate.mjs applies
//   node_modules/    the service's production dependencies, flat (pnpm deploy, hoisted)
// Used by every service's Dockerfile and by the test that runs the compiled services
// (tests/deploy/src/compiled-services.test.ts), so what the test proves is what the image runs.
//
//   node scripts/build/deploy.mjs services/gateway /out
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pnpmCommand } from '../lib/pnpm.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const [dirArg, outArg] = process.argv.slice(2);
if (!dirArg || !outArg) {
  console.error('usage: node scripts/build/deploy.mjs <service folder> <out dir>');
  process.exit(2);
}
const dir = resolve(dirArg);
const out = resolve(outArg);
const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) {
    console.error(`✖ ${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
}

run(process.execPath, [join(ROOT, 'scripts/build/service.mjs'), dir]);
rmSync(out, { recursive: true, force: true });
const [pnpm, pre] = pnpmCommand();
// --legacy: the workspace does not inject its packages; hoisted: one flat node_modules, so the
// bundle's imports of its packages' dependencies (pg, @prisma/client…) resolve from dist/.
run(pnpm, [...pre, '--filter', name, '--prod', '--legacy', '--config.node-linker=hoisted', 'deploy', out]);
rmSync(join(out, 'src'), { recursive: true, force: true });
cpSync(join(dir, 'dist'), join(out, 'dist'), { recursive: true });
cpSync(join(ROOT, 'packages/db/prisma/migrations'), join(out, 'prisma/migrations'), { recursive: true });

// What the image never loads: the TypeScript compiler (an optional peer of @prisma/client) and the
// query compilers of the databases other than Postgres (Prisma ships all five, ~40 MB).
rmSync(join(out, 'node_modules/typescript'), { recursive: true, force: true });
const runtime = join(out, 'node_modules/@prisma/client/runtime');
if (existsSync(runtime)) {
  for (const f of readdirSync(runtime)) if (/\.(sqlite|mysql|sqlserver|cockroachdb)\.wasm/.test(f)) rmSync(join(runtime, f));
}
console.log(`✔ ${name} laid out in ${out}`);
