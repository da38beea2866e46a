import type { LiveEvent as BusEvent } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type LiveEvent, type LiveMessage, type RunStatus } from '@weft/workflow-schema';

type Snapshot = Extract<LiveMessage, { type: 'snapshot' }>['run'];

/** What a session needs from the outside world (Postgres reads and the socket). */
export interface LiveSessionIo {
  /** `GET /v1/runs/:id` plus lastSeq; undefined when the run is gone. */
  snapshot(): Promise<Snapshot | undefined>;
  /** Ids of every step of the run that has ended (read when the snapshot's steps were capped). */
  endedStepIds(): Promise<string[]>;
  /** Durable events with afterSeq < seq (≤ untilSeq when given), in seq order. */
  eventsAfter(afterSeq: number, untilSeq?: number): Promise<LiveEvent[]>;
  /** The run's current last seq. */
  lastSeq(): Promise<number>;
  send(message: LiveMessage): void;
  close(code: number, reason: string): void;
}

const TERMINAL_RUN_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);
const TERMINAL_STEP_EVENTS = new Set(['step.succeeded', 'step.failed', 'step.skipped', 'step.cancelled']);
const TERMINAL_STEP_STATUSES = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);
/** Past this many events published before the snapshot was read, re-read from Postgres instead. */
const MAX_BUFFER = 1000;

/**
 * The ordering logic of one live socket. The caller subscribes first and feeds every published
 * batch to `push` from then on; `start` reads the snapshot, so nothing published after the
 * subscription can be missed: buffered and new events with seq ≤ lastSeq are dropped, the rest
 * are sent in seq order, and a gap (a lost pub/sub message) is filled from run_events.
 * Ephemeral events (seq null) pass through, except notices about steps the client already knows
 * ended (a `step.started` overtaken by the snapshot would otherwise show a finished step running).
 */
export class LiveSession {
  private delivered = 0;
  private buffer: BusEvent[] | undefined = [];
  private overflowed = false;
  private closed = false;
  private readonly endedSteps = new Set<string>();
  /** Every step of the session runs in this chain, so sends keep seq order across awaits. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly io: LiveSessionIo) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** A batch from pub/sub, in channel order. */
  push(events: BusEvent[]): void {
    if (this.closed) return;
    if (this.buffer) {
      if (this.buffer.length + events.length > MAX_BUFFER) {
        this.buffer = [];
        this.overflowed = true;
      } else this.buffer.push(...events);
      return;
    }
    this.enqueue(() => this.handle(events));
  }

  /** Sends the snapshot, then what was buffered since the subscription. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      const run = await this.io.snapshot();
      if (!run) return this.end(4404, 'run not found');
      this.io.send({ type: 'snapshot', run });
      this.delivered = run.lastSeq;
      for (const s of run.steps) if (TERMINAL_STEP_STATUSES.has(s.status)) this.endedSteps.add(s.id);
      // The client reads the steps past the cap afterwards (newer than the snapshot): their stale notices are dropped too.
      if (run.stepsNextCursor !== null) for (const id of await this.io.endedStepIds()) this.endedSteps.add(id);
      if (TERMINAL_RUN_STATUSES.has(run.status as RunStatus)) return this.end(1000, `run ${run.status}`);
      const buffered = this.buffer ?? [];
      this.buffer = undefined;
      if (this.overflowed) await this.catchUp();
      await this.handle(buffered);
    });
  }

  /** Re-reads events the channel may have lost (heartbeat, subscriber reconnect). */
  resync(): Promise<void> {
    if (this.buffer) return Promise.resolve(); // start() reads everything anyway
    return this.enqueue(() => this.catchUp());
  }

  /** Stops sending; the caller closes the socket. */
  stop(): void {
    this.closed = true;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(() => (this.closed ? undefined : step())).catch(() => this.end(1011, 'live events unavailable'));
    return this.chain;
  }

  private async handle(events: readonly BusEvent[]): Promise<void> {
    for (const e of events) {
      if (this.closed) return;
      if (e.seq === null) {
        if (!(e.stepId && this.endedSteps.has(e.stepId))) this.io.send({ type: 'event', event: view(e) });
        continue;
      }
      if (e.seq <= this.delivered) continue;
      if (e.seq > this.delivered + 1) {
        for (const missed of await this.io.eventsAfter(this.delivered, e.seq - 1)) this.deliver(missed);
      }
      this.deliver(view(e));
    }
  }

  private async catchUp(): Promise<void> {
    if ((await this.io.lastSeq()) <= this.delivered) return;
    for (const e of await this.io.eventsAfter(this.delivered)) this.deliver(e);
  }

  private deliver(e: LiveEvent): void {
    if (this.closed || e.seq === null || e.seq <= this.delivered) return;
    this.io.send({ type: 'event', event: e });
    this.delivered = e.seq;
    if (e.stepId && TERMINAL_STEP_EVENTS.has(e.type)) this.endedSteps.add(e.stepId);
    if (TERMINAL_RUN_EVENTS.has(e.type)) this.end(1000, e.type);
  }

  private end(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.io.close(code, reason);
  }
}

/** Exactly the fields of a `/events` item, whatever else a publisher put in the message. */
const view = (e: BusEvent): LiveEvent => ({ seq: e.seq, type: e.type, nodeId: e.nodeId ?? null, stepId: e.stepId ?? null, data: e.data ?? null, createdAt: e.createdAt });
