import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian/Ubuntu install the client tools of each major version. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The path of pg_dump or pg_restore: the newest of PATH's and Debian's versioned folders (a dump
 * needs a pg_dump at least as new as the server). Throws naming what to install when none exists.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore', searchPath: string | undefined): string {
  const candidates: string[] = [];
  if (existsSync(DEBIAN_ROOT)) {
    for (const v of readdirSync(DEBIAN_ROOT).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))) {
      const p = join(DEBIAN_ROOT, v, 'bin', name);
      if (existsSync(p)) candidates.push(p);
    }
  }
  for (const dir of (searchPath ?? '').split(':').filter(Boolean)) {
    const p = join(dir, name);
    if (existsSync(p)) candidates.push(p);
  }
  const best = candidates.map((p) => ({ p, major: majorOf(p) })).sort((a, b) => b.major - a.major)[0];
  if (!best) throw new Error(`${name} not found: install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq)`);
  return best.p;
}

function majorOf(path: string): number {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return Number(/(\d+)(?:\.\d+)?/.exec(out)?.[1] ?? 0);
}
