import { RunBus } from '@weft/run-store';
import { Redis } from 'ioredis';

const TERMINAL_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/**
 * Waits for runs to end by listening to Weft's live run events (Redis pub/sub, published by the
 * orchestrator after each transition commits) instead of polling `GET /v1/runs/:id`: polling every
 * few ms loads the gateway and Postgres, i.e. the same two cores the measured services run on,
 * while the baseline is timed without any such load. A slow poll of the API stays as a safety net
 * (a pub/sub message can be lost), so a run is never waited for forever.
 */
export class RunWatcher {
  /** Runs seen ending, with when (a run can end before its waiter is registered). */
  private readonly ended = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  private unsubscribe: () => Promise<void> = () => Promise.resolve();

  private constructor(private readonly subscriber: Redis) {}

  static async start(redisUrl: string, prefix: string): Promise<RunWatcher> {
    const watcher = new RunWatcher(new Redis(redisUrl, { maxRetriesPerRequest: null }));
    watcher.unsubscribe = await RunBus.subscribeAllRuns(watcher.subscriber, prefix, (runId, events) => {
      if (events.some((e) => TERMINAL_EVENTS.has(e.type))) watcher.note(runId, performance.now());
    });
    return watcher;
  }

  private note(runId: string, at: number) {
    const waiter = this.waiters.get(runId);
    if (waiter) waiter(at);
    else this.ended.set(runId, at);
  }

  /**
   * Resolves with `performance.now()` of the moment the run's terminal event arrived (or of the
   * safety poll that found it terminal). `isTerminal` is the safety poll, called every `safetyMs`.
   */
  waitEnd(runId: string, isTerminal: () => Promise<boolean>, safetyMs = 2000, timeoutMs = 60_000): Promise<number> {
    const seen = this.ended.get(runId);
    if (seen !== undefined) {
      this.ended.delete(runId);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const until = Date.now() + timeoutMs;
      const finish = (at: number) => {
        clearInterval(timer);
        this.waiters.delete(runId);
        resolve(at);
      };
      const timer = setInterval(() => {
        void isTerminal().then(
          (done) => {
            if (done) finish(performance.now());
            else if (Date.now() > until) {
              clearInterval(timer);
              this.waiters.delete(runId);
              reject(new Error(`run ${runId} not finished after ${timeoutMs} ms`));
            }
          },
          () => undefined,
        );
      }, safetyMs);
      this.waiters.set(runId, finish);
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe();
    this.subscriber.disconnect();
  }
}
