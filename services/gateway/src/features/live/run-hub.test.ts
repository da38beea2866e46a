import { randomUUID } from 'node:crypto';
import { createLogger } from '@weft/logger';
import { RunBus, type LiveEvent } from '@weft/run-store';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LiveRunHub, type RunListener } from './run-hub';

// Real Redis: the ordering of SUBSCRIBE/UNSUBSCRIBE on one connection is what is under test.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `weft-test-hub-${randomUUID()}`;
let publisher: Redis;
let bus: RunBus;
let subscribers: Redis[] = [];
let hub: LiveRunHub;

beforeAll(() => {
  publisher = new Redis(url);
  bus = new RunBus(publisher, prefix);
});
afterAll(() => publisher.disconnect());
afterEach(() => {
  hub?.close();
  subscribers = [];
});

const newHub = () => {
  hub = new LiveRunHub(() => {
    const s = new Redis(url);
    subscribers.push(s);
    return s;
  }, prefix, createLogger({ service: 'test', level: 'silent' }));
  return hub;
};

const ev = (seq: number): LiveEvent => ({ seq, type: 'step.dispatched', nodeId: null, stepId: null, data: {}, createdAt: new Date().toISOString() });

function listener() {
  const got: number[] = [];
  let resyncs = 0;
  const l: RunListener = { onEvents: (e) => got.push(...e.map((x) => x.seq!)), onResync: () => resyncs++ };
  return { l, got, resyncs: () => resyncs };
}

const until = async (probe: () => boolean, what: string) => {
  for (const end = Date.now() + 3000; !probe(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() > end) throw new Error(`timed out: ${what}`);
};
const channels = async () => (await publisher.pubsub('CHANNELS', `${prefix}:*`)) as string[];

describe('LiveRunHub', () => {
  it('shares one connection and one subscription among the viewers of a run, and drops it after the last', async () => {
    const h = newHub();
    const run = randomUUID();
    const a = listener();
    const b = listener();
    const endA = await h.subscribe(run, a.l);
    const endB = await h.subscribe(run, b.l);
    await bus.publishRunEvents(run, [ev(1)]);
    await until(() => a.got.length === 1 && b.got.length === 1, 'both viewers hear');
    endA();
    await bus.publishRunEvents(run, [ev(2)]);
    await until(() => b.got.length === 2, 'b still hears');
    expect(a.got).toEqual([1]);
    expect(subscribers).toHaveLength(1);
    expect(await channels()).toHaveLength(1);
    endB();
    await until(() => subscribers[0]!.listenerCount('message') === 0, 'message handler removed');
    await expect.poll(channels).toEqual([]);
  });

  it('a viewer subscribing in the same tick as the last one leaves is not left deaf', async () => {
    const h = newHub();
    const run = randomUUID();
    for (let i = 0; i < 5; i++) {
      const first = listener();
      const end = await h.subscribe(run, first.l);
      end();
      const next = listener();
      const endNext = await h.subscribe(run, next.l);
      await bus.publishRunEvents(run, [ev(i)]);
      await until(() => next.got.length === 1, `round ${i}: the new viewer hears`);
      endNext();
    }
  });

  it('tells viewers to re-read from Postgres after the subscriber reconnected', async () => {
    const h = newHub();
    const run = randomUUID();
    const a = listener();
    await h.subscribe(run, a.l);
    subscribers[0]!.disconnect(true);
    await until(() => a.resyncs() === 1, 'a resync after reconnect');
    await until(() => subscribers[0]!.status === 'ready', 'reconnected');
    await bus.publishRunEvents(run, [ev(7)]);
    await until(() => a.got.includes(7), 'still subscribed after reconnect');
  });
});
