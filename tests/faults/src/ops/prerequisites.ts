import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where PostgreSQL's server binaries are (initdb, postgres): WEFT_PG_BIN, or Debian's. */
export function postgresBin(): string | undefined {
  const candidates = [process.env.WEFT_PG_BIN, '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
  return candidates.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres')));
}

const onPath = (cmd: string) => spawnSync('/bin/sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * What the operations tests need, as one line naming what is missing (undefined when nothing is):
 * root (network namespaces), iproute2's `ip`, util-linux's `setpriv`, a `postgres` user, PostgreSQL's
 * server binaries and `redis-server`.
 */
export function missingOpsPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'the ops tests create network namespaces: run them as root';
  if (!onPath('ip') || spawnSync('ip', ['netns', 'list']).status !== 0) return '`ip netns` does not work: apt-get install iproute2';
  if (!onPath('setpriv')) return 'setpriv is missing (it runs PostgreSQL as the postgres user): apt-get install util-linux';
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) return 'there is no `postgres` user (PostgreSQL refuses to run as root): apt-get install postgresql';
  if (!postgresBin()) return 'PostgreSQL server binaries (initdb, postgres) not found: apt-get install postgresql, or set WEFT_PG_BIN';
  if (!onPath('redis-server')) return 'redis-server is not on PATH: apt-get install redis-server';
  return undefined;
}
