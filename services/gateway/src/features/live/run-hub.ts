import type { Logger } from '@weft/logger';
import { RunBus, type LiveEvent } from '@weft/run-store';
import type { RedisClient } from '@weft/queue';

export interface RunListener {
  /** Events as published, in channel order. */
  onEvents(events: LiveEvent[]): void;
  /** The subscriber reconnected: messages published meanwhile are lost, re-read from Postgres. */
  onResync(): void;
}

interface Channel {
  listeners: Set<RunListener>;
  /** Resolves once Redis confirmed the subscription, with the function that ends it. */
  ready: Promise<() => Promise<void>>;
}

/**
 * One Redis subscriber connection per gateway process, shared by every live socket: channels are
 * subscribed on the first viewer of a run and unsubscribed after the last. A connection per socket
 * would cost a Redis client (and a connect round trip) per viewer; this keeps it at one per process
 * however many dashboards watch, and many viewers of one run share one subscription.
 */
export class LiveRunHub {
  private subscriber: RedisClient | undefined;
  private readonly channels = new Map<string, Channel>();
  /** Unsubscribes in flight, per run: a new subscription to the run waits for them (see subscribe). */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(
    private readonly connect: () => RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Listens to a run's live events; resolves once the subscription is active, with its end. */
  async subscribe(runId: string, listener: RunListener): Promise<() => void> {
    let channel = this.channels.get(runId);
    if (!channel) {
      const listeners = new Set<RunListener>();
      const sub = this.connection();
      // SUBSCRIBE must not overtake a pending UNSUBSCRIBE of the same channel on this connection,
      // or Redis would apply them in the wrong order and leave the new viewer deaf.
      const ready = (this.closing.get(runId) ?? Promise.resolve()).then(() =>
        RunBus.subscribeRun(sub, this.prefix, runId, (events) => {
          for (const l of listeners) l.onEvents(events);
        }),
      );
      const created: Channel = { listeners, ready };
      channel = created;
      this.channels.set(runId, created);
      ready.catch(() => this.channels.get(runId) === created && this.channels.delete(runId));
    }
    const current = channel;
    current.listeners.add(listener);
    try {
      await current.ready;
    } catch (err) {
      current.listeners.delete(listener);
      throw err;
    }
    return () => {
      if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
      if (this.channels.get(runId) === current) this.channels.delete(runId);
      const done: Promise<void> = current.ready.then((end) => end()).catch(() => undefined);
      this.closing.set(runId, done);
      void done.then(() => this.closing.get(runId) === done && this.closing.delete(runId));
    };
  }

  /** Closes the subscriber connection (the app is closing; sockets are already closed). */
  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.channels.clear();
  }

  private connection(): RedisClient {
    if (this.subscriber) return this.subscriber;
    const sub = this.connect();
    // One 'message' listener per watched run (RunBus.subscribeRun), so more than 10 is normal.
    sub.setMaxListeners(0);
    let connectedBefore = false;
    sub.on('ready', () => {
      // ioredis re-subscribes every channel on reconnect; what was published meanwhile is lost.
      if (connectedBefore) {
        this.logger.warn({ runs: this.channels.size }, 'live subscriber reconnected; re-reading missed events');
        for (const c of this.channels.values()) for (const l of c.listeners) l.onResync();
      }
      connectedBefore = true;
    });
    sub.on('error', (err) => this.logger.warn({ err }, 'live subscriber connection error'));
    this.subscriber = sub;
    return sub;
  }
}
