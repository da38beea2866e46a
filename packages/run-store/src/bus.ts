import type { RedisClient } from '@weft/queue';

/** A run event as published live (the same shape as GET /v1/runs/:id/events items). */
export interface LiveEvent {
  /** Per-run sequence number; null for ephemeral notices (e.g. a step started) not kept in run_events. */
  seq: number | null;
  type: string;
  nodeId: string | null;
  stepId: string | null;
  data: unknown;
  createdAt: string;
}

const runChannel = (prefix: string, runId: string) => `${prefix}:live:run:${runId}`;
const cancelChannel = (prefix: string) => `${prefix}:live:cancel-steps`;

/**
 * Redis pub/sub for what is ephemeral: live run events (the durable copy is run_events) and
 * "abort these running steps" notices. Losing a message loses nothing durable: live clients
 * re-read run_events on a sequence gap, and cancelled steps are fenced out on completion anyway.
 */
export class RunBus {
  constructor(
    private readonly publisher: RedisClient,
    private readonly prefix: string,
  ) {}

  async publishRunEvents(runId: string, events: readonly LiveEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.publisher.publish(runChannel(this.prefix, runId), JSON.stringify(events)).catch(() => undefined);
  }

  async publishCancel(stepIds: readonly string[]): Promise<void> {
    if (stepIds.length === 0) return;
    await this.publisher.publish(cancelChannel(this.prefix), JSON.stringify(stepIds)).catch(() => undefined);
  }

  /** Subscribes a dedicated connection (a subscriber cannot run other commands) to one run. */
  static async subscribeRun(subscriber: RedisClient, prefix: string, runId: string, onEvents: (e: LiveEvent[]) => void): Promise<() => Promise<void>> {
    const channel = runChannel(prefix, runId);
    const handler = (ch: string, message: string) => {
      if (ch === channel) onEvents(JSON.parse(message) as LiveEvent[]);
    };
    subscriber.on('message', handler);
    await subscriber.subscribe(channel);
    return async () => {
      subscriber.off('message', handler);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  /**
   * Subscribes a dedicated connection to the live events of every run (a pattern subscription):
   * for watchers of many runs, e.g. the bench waiting for runs to end without polling the API.
   */
  static async subscribeAllRuns(subscriber: RedisClient, prefix: string, onEvents: (runId: string, e: LiveEvent[]) => void): Promise<() => Promise<void>> {
    const pattern = runChannel(prefix, '*');
    const start = pattern.length - 1;
    const handler = (pat: string, ch: string, message: string) => {
      if (pat === pattern) onEvents(ch.slice(start), JSON.parse(message) as LiveEvent[]);
    };
    subscriber.on('pmessage', handler);
    await subscriber.psubscribe(pattern);
    return async () => {
      subscriber.off('pmessage', handler);
      await subscriber.punsubscribe(pattern).catch(() => undefined);
    };
  }

  static async subscribeCancels(subscriber: RedisClient, prefix: string, onCancel: (stepIds: string[]) => void): Promise<void> {
    const channel = cancelChannel(prefix);
    subscriber.on('message', (ch: string, message: string) => {
      if (ch === channel) onCancel(JSON.parse(message) as string[]);
    });
    await subscriber.subscribe(channel);
  }
}
