import { getPriority, setPriority } from 'node:os';

/**
 * Runs `fn` (a baseline run: never a start of the services, which would inherit it) with the bench's main thread at the niceness the services' workers give themselves
 * (WEFT_WORKER_NICE, default 10), so that a baseline run in the bench process competes for the CPU
 * as the orchestrator and executor do: on a machine shared with other work, a baseline at nice 0
 * against workers at nice 10 gets up to ten times their CPU share, and the ratio measures the
 * niceness rather than the platform. Restored afterwards (raising it back needs root; without,
 * the bench stays at the lower priority and says so).
 */
export async function atWorkerNice<T>(nice: number, log: (m: string) => void, fn: () => Promise<T>): Promise<T> {
  const before = getPriority();
  try {
    setPriority(nice);
  } catch (err) {
    log(`could not set the bench's niceness to ${nice}: ${(err as Error).message}; the baseline runs at ${before}`);
  }
  try {
    return await fn();
  } finally {
    try {
      setPriority(before);
    } catch {
      log(`could not restore the bench's niceness to ${before}`);
    }
  }
}
