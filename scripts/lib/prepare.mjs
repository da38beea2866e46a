// Makes the checkout runnable: dependencies installed (pnpm 10 via npx when needed) and the
// Prisma client generated. Both steps are skipped when their inputs did not change.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { pnpm } from './pnpm.mjs';

const root = new URL('../..', import.meta.url).pathname;

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files) if (existsSync(f)) h.update(f).update(readFileSync(f));
  return h.digest('hex');
}

function manifests() {
  const files = [join(root, 'package.json'), join(root, 'pnpm-lock.yaml'), join(root, 'pnpm-workspace.yaml')];
  for (const group of ['apps', 'services', 'packages', 'tests']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) files.push(join(dir, name, 'package.json'));
  }
  files.push(join(root, 'bench', 'package.json'));
  return files;
}

function stamped(name, hash, fn) {
  const stamp = join(root, 'node_modules', `.weft-${name}-stamp`);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  fn();
  writeFileSync(stamp, hash);
}

export function prepare() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    console.error(`✖ Weft needs Node.js 20 or newer (found ${process.versions.node}).`);
    process.exit(1);
  }
  stamped('install', hashFiles(manifests()), () => {
    console.log('• Installing dependencies (pnpm)…');
    const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
    pnpm(['install', ...frozen], { cwd: root, env: { ...process.env, CI: process.env.CI ?? 'true' } });
  });
  const schema = join(root, 'packages/db/prisma/schema.prisma');
  const generated = join(root, 'packages/db/src/generated/client.ts');
  const hash = hashFiles([schema]);
  if (!existsSync(generated)) rmStamp('prisma');
  stamped('prisma', hash, () => {
    console.log('• Generating the Prisma client…');
    const res = spawnSync(join(root, 'packages/db/node_modules/.bin/prisma'), ['generate'], {
      cwd: join(root, 'packages/db'),
      stdio: ['ignore', 'ignore', 'inherit'],
      // Generation runs in WebAssembly; the CLI only insists that an engine path exists.
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    if (res.status !== 0) {
      console.error('✖ prisma generate failed');
      process.exit(res.status ?? 1);
    }
  });
}

function rmStamp(name) {
  const stamp = join(root, 'node_modules', `.weft-${name}-stamp`);
  if (existsSync(stamp)) writeFileSync(stamp, '');
}

/**
 * Runs a TypeScript entry point with the workspace's tsx and exits with its code. Ctrl-C reaches
 * the child through the process group; this parent waits for it to finish shutting down.
 */
export function runTs(entry, args = []) {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const child = spawn(tsx, [join(root, entry), ...args], { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
