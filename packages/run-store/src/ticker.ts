/**
 * Calls `tick` every `intervalMs`, one call at a time (a slow tick delays the next instead of
 * overlapping it), until stopped; `stop` waits for the tick in progress. The timer does not keep
 * the process alive. `tick(isStopped)` may loop on its own and check `isStopped()` between passes.
 * A tick reports its own failures (the callers log them); a rejected tick never stops the next ones.
 */
export function startTicker(intervalMs: number, tick: (isStopped: () => boolean) => Promise<unknown>): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => tick(() => stopped)).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
