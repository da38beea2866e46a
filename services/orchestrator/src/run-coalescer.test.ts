import { describe, expect, it } from 'vitest';
import { RunCoalescer } from './run-coalescer';

/** A transition whose end the test decides, recording when it started and how. */
function transitions() {
  const started: { runId: string; unlocked: boolean; finish: (err?: Error) => void }[] = [];
  const advance = (runId: string, unlocked: boolean) =>
    new Promise<void>((resolve, reject) => started.push({ runId, unlocked, finish: (err) => (err ? reject(err) : resolve()) }));
  return { started, advance };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('RunCoalescer', () => {
  it('runs jobs that arrive during a transition of their run as one follow-up transition, and completes them only after it', async () => {
    const { started, advance } = transitions();
    const c = new RunCoalescer(advance);
    const first = c.run('r1', true);
    const done: string[] = [];
    const followers = ['a', 'b', 'c'].map((n) => c.run('r1', true).then(() => done.push(n)));
    await settle();
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await first;
    await settle();
    expect(done).toEqual([]);
    expect(started).toHaveLength(2);
    expect(started[1]!.unlocked).toBe(false);
    started[1]!.finish();
    await Promise.all(followers);
    expect(done).toEqual(['a', 'b', 'c']);
    expect(c.size).toBe(0);
  });

  it('advances different runs side by side', async () => {
    const { started, advance } = transitions();
    const c = new RunCoalescer(advance);
    const all = [c.run('r1', true), c.run('r2', false)];
    await settle();
    expect(started.map((s) => s.runId)).toEqual(['r1', 'r2']);
    for (const s of started) s.finish();
    await Promise.all(all);
    expect(c.size).toBe(0);
  });

  it('still runs the follow-up when the transition before it failed, and fails the jobs sharing a failed follow-up', async () => {
    const { started, advance } = transitions();
    const c = new RunCoalescer(advance);
    const first = c.run('r1', true);
    const follower = c.run('r1', true);
    await settle();
    started[0]!.finish(new Error('first failed'));
    await expect(first).rejects.toThrow('first failed');
    await settle();
    expect(started).toHaveLength(2);
    started[1]!.finish(new Error('follow-up failed'));
    await expect(follower).rejects.toThrow('follow-up failed');
    await settle();
    expect(c.size).toBe(0);
  });

  it('starts a new follow-up for a job that arrives while the follow-up itself runs', async () => {
    const { started, advance } = transitions();
    const c = new RunCoalescer(advance);
    const first = c.run('r1', true);
    const second = c.run('r1', true);
    await settle();
    started[0]!.finish();
    await first;
    await settle();
    const third = c.run('r1', true);
    await settle();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await second;
    await settle();
    expect(started).toHaveLength(3);
    started[2]!.finish();
    await third;
    await settle();
    expect(c.size).toBe(0);
  });
});
