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
