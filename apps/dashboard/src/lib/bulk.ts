import type { RunStatus } from '@weft/workflow-schema';
import { errorMessage } from './api';
import { shortId } from './format';

/** Which runs an action applies to: retry a failed or cancelled run, cancel one still live. */
export const RETRYABLE: ReadonlySet<RunStatus> = new Set(['failed', 'cancelled']);
export const CANCELLABLE: ReadonlySet<RunStatus> = new Set(['queued', 'running', 'waiting']);

/** Runs `act` on each id (a few at a time) and says how it went, in one sentence. */
export async function bulk(ids: string[], verb: string, act: (id: string) => Promise<unknown>): Promise<string> {
  const failures: string[] = [];
  for (let i = 0; i < ids.length; i += 5) {
    const results = await Promise.allSettled(ids.slice(i, i + 5).map(act));
    results.forEach((r, j) => r.status === 'rejected' && failures.push(`${shortId(ids[i + j]!)}: ${errorMessage(r.reason)}`));
  }
  const done = ids.length - failures.length;
  const head = `${verb} ${done} run${done === 1 ? '' : 's'}`;
  return failures.length ? `${head}; ${failures.length} refused (${failures.join('; ')})` : head;
}

/** A bulk action over every run matching the list's filters (`POST /v1/runs/bulk`). */
export type MatchingAction = 'retry' | 'cancel';
/** Runs per call, and calls per press: one press acts on at most BULK_BATCH × BULK_ROUNDS runs. */
export const BULK_BATCH = 100;
export const BULK_ROUNDS = 10;
export const BULK_MAX = BULK_BATCH * BULK_ROUNDS;

/** Whether the action can take any run of the filtered status (no status: some may match). */
export function appliesTo(action: MatchingAction, status: RunStatus | undefined): boolean {
  return !status || (action === 'retry' ? RETRYABLE : CANCELLABLE).has(status);
}

/**
 * Calls `call(BULK_BATCH)` while the answer says `more` (at most BULK_ROUNDS times; it also stops
 * when a call took nothing, e.g. every match is held by another request), reporting the running count.
 */
export async function actOnMatching(
  call: (limit: number) => Promise<{ runIds: string[]; more: boolean }>,
  onProgress: (done: number) => void = () => undefined,
): Promise<{ done: number; more: boolean }> {
  let done = 0;
  let more = true;
  for (let round = 0; more && round < BULK_ROUNDS; round++) {
    const r = await call(BULK_BATCH);
    done += r.runIds.length;
    more = r.more;
    onProgress(done);
    if (r.runIds.length === 0) break;
  }
  return { done, more };
}

/** "Retried 12 matching runs" (and that more match, when the press stopped at its cap). */
export function matchingSentence(action: MatchingAction, done: number, more: boolean): string {
  const head = `${action === 'retry' ? 'Retried' : 'Cancelled'} ${done} matching run${done === 1 ? '' : 's'}`;
  return more ? `${head}; more match (at most ${BULK_MAX} per press): press again to continue` : head;
}
