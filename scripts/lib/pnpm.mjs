// Finds a pnpm 10 to run. Only Node.js and npm are required: when pnpm is not on PATH
// it is fetched once through npx (corepack fails on these machines, see docs/environment).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM_VERSION = '10.34.9';
let cached;

/** The command and leading args that run pnpm 10. */
export function pnpmCommand() {
  if (cached) return cached;
  const local = new URL('../../node_modules/.bin/pnpm', import.meta.url).pathname;
  if (existsSync(local)) return (cached = [local, []]);
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  if (onPath.status === 0 && onPath.stdout.trim().startsWith('10.')) {
    cached = ['pnpm', []];
  } else {
    cached = ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
  }
  return cached;
}

/** Runs pnpm with inherited stdio; exits the process on failure unless allowFailure. */
export function pnpm(args, { allowFailure = false, env = process.env, cwd } = {}) {
  const [cmd, pre] = pnpmCommand();
  const res = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit', env, cwd });
  if (res.status !== 0 && !allowFailure) {
    console.error(`\n✖ pnpm ${args.join(' ')} failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status ?? 1);
  }
  return res.status ?? 1;
}
