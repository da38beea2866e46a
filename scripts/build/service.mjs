// Compiles one service for production: its TypeScript and the workspace packages' (@weft/*) bundled
// into dist/main.mjs, every npm package left as an import resolved from node_modules at run time.
// Production images run these files with plain `node` (no tsx, no compiler); `npm start` keeps tsx.
//
//   node scripts/build/service.mjs services/gateway            → services/gateway/dist/
//   node scripts/build/service.mjs services/gateway --out DIR  → DIR/
//
// Also written: dist/migrate.mjs (creates the database if missing and applies the migrations, from
// dist/../prisma/migrations), dist/smoke.mjs (`npm run smoke` for a CronJob) and dist/functions/*.mjs
// (the registered functions of `functions/`).
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const [dirArg, ...rest] = process.argv.slice(2);
if (!dirArg) {
  console.error('usage: node scripts/build/service.mjs <service folder> [--out <dir>]');
  process.exit(2);
}
const dir = resolve(dirArg);
const outIndex = rest.indexOf('--out');
const outdir = outIndex >= 0 ? resolve(rest[outIndex + 1]) : join(dir, 'dist');

/** The service's entry: `src/server.ts` (gateway) or `src/main.ts` (workers). */
function entryOf(folder) {
  for (const name of ['src/server.ts', 'src/main.ts']) if (existsSync(join(folder, name))) return join(folder, name);
  throw new Error(`${folder}: no src/server.ts or src/main.ts`);
}

/** Bare imports other than the workspace's own packages stay imports (node_modules at run time). */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@weft/') ? undefined : { path: args.path, external: true }));
  },
};

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', outExtension: { '.js': '.mjs' }, plugins: [npmPackagesExternal] };
const functionsDir = join(ROOT, 'functions');
const functions = Object.fromEntries(
  readdirSync(functionsDir)
    .filter((f) => f.endsWith('.ts') && !/\.(test|d)\.ts$/.test(f))
    .map((f) => [f.replace(/\.ts$/, ''), join(functionsDir, f)]),
);

const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const started = Date.now();
await Promise.all([
  build({ ...common, entryPoints: { main: entryOf(dir), migrate: join(ROOT, 'packages/db/src/cli/migrate.ts'), smoke: join(ROOT, 'packages/sdk/src/smoke/main.ts') }, outdir, sourcemap: 'linked' }),
  build({ ...common, entryPoints: functions, outdir: join(outdir, 'functions') }),
]);
console.log(`✔ ${pkg.name} → ${outdir} (main.mjs, migrate.mjs, smoke.mjs, ${Object.keys(functions).length} functions; ${Date.now() - started} ms)`);
