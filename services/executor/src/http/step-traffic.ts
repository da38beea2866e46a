import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The bytes a step attempt's outgoing HTTP calls sent and received (bodies), summed for metering:
 * one `http_bytes` usage row per attempt (docs/operating/usage.md). The executor opens a tally
 * around the processor; the step HTTP client adds every call it makes to the current one.
 */
export class TrafficTally {
  sent = 0;
  received = 0;
  calls = 0;

  add(sent: number, received: number): void {
    this.sent += sent;
    this.received += received;
    this.calls += 1;
  }

  /** The attempt's usage row, or undefined when it made no call. */
  usage(): { kind: 'http_bytes'; quantity: number; data: { sent: number; received: number; calls: number } } | undefined {
    if (this.calls === 0) return undefined;
    return { kind: 'http_bytes', quantity: this.sent + this.received, data: { sent: this.sent, received: this.received, calls: this.calls } };
  }
}

const storage = new AsyncLocalStorage<TrafficTally>();

/** Runs `fn` with `tally` counting its outgoing HTTP traffic. */
export const runWithTraffic = <T>(tally: TrafficTally, fn: () => Promise<T>): Promise<T> => storage.run(tally, fn);

/** The tally of the step attempt in progress, if any. */
export const currentTraffic = (): TrafficTally | undefined => storage.getStore();
