import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Opt-in timestamps of a step's hops between processes (bench `hops`): with WEFT_TRACE_HOPS_DIR set,
 * `markHop` records (event, run, key, time) in memory and the process writes them to
 * `<dir>/hops-<service>-<pid>.json` when it exits; unset (always, outside the bench) it does nothing.
 * Times are `performance.timeOrigin + performance.now()`: wall-clock milliseconds with microsecond
 * resolution, comparable between the processes of one machine.
 */
const dir = process.env.WEFT_TRACE_HOPS_DIR;
const marks: [event: string, runId: string, key: string, at: number][] = [];

export const hopsTraced = Boolean(dir);

export function markHop(event: string, runId: string, key: string): void {
  if (dir) marks.push([event, runId, key, performance.timeOrigin + performance.now()]);
}

if (dir) {
  process.on('exit', () => {
    // The service is named by its entry's folder: services/<name>/src/main.ts.
    const entry = process.argv[process.argv.length - 1] ?? 'node';
    const service = basename(dirname(dirname(entry)));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `hops-${service}-${process.pid}.json`), JSON.stringify(marks));
  });
}
