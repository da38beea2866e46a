import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Opt-in timestamps of a step's hops between processes (bench `hops`): once `traceHopsTo(dir)`
 * was called (services do when WEFT_TRACE_HOPS_DIR is set), `markHop` records (event, run, key,
 * time) in memory and the process writes them to `<dir>/hops-<service>-<pid>.json` when it exits;
 * otherwise (always, outside the bench) it does nothing. Times are `performance.timeOrigin +
 * performance.now()`: wall-clock milliseconds with microsecond resolution, comparable between the
 * processes of one machine.
 */
type Mark = [event: string, runId: string, key: string, at: number];
let marks: Mark[] | undefined;

export function traceHopsTo(dir: string, service: string): void {
  if (marks) return;
  const list: Mark[] = [];
  marks = list;
  process.on('exit', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `hops-${service}-${process.pid}.json`), JSON.stringify(list));
  });
}

export const hopsTraced = (): boolean => marks !== undefined;

/** The clock of the marks (see above). */
export const hopNow = (): number => performance.timeOrigin + performance.now();

/** Records a mark now, or at `at` (a `hopNow()` time taken earlier, when the run was not known yet). */
export function markHop(event: string, runId: string, key: string, at?: number): void {
  marks?.push([event, runId, key, at ?? hopNow()]);
}
