import type { LiveEvent, LiveMessage, RunStatus } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { LiveSession, type LiveSessionIo } from './live-session';

const ev = (seq: number | null, type = 'step.dispatched', stepId: string | null = null): LiveEvent => ({
  seq,
  type,
  nodeId: null,
  stepId,
  data: {},
  createdAt: '2024-01-01T00:00:00.000Z',
});

/** An in-memory run: `log` plays run_events, `sent`/`closed` what reached the socket. */
function fakeRun(opts: { lastSeq?: number; status?: RunStatus; steps?: { id: string; status: string }[]; cap?: number; log?: LiveEvent[] } = {}) {
  const log = opts.log ?? [];
  const sent: LiveMessage[] = [];
  const state = { closed: undefined as { code: number; reason: string } | undefined, gone: false, fail: false, reads: 0 };
  const io: LiveSessionIo = {
    snapshot: async () => {
      if (state.fail) throw new Error('postgres down');
      if (state.gone) return undefined;
      const all = (opts.steps ?? []).map((s) => ({ ...s, nodeId: 'n', attempt: 1, startedAt: null, finishedAt: null, durationMs: null, output: null, error: null })) as never[];
      // As GET /v1/runs/:id: the first `cap` steps, the total and where /steps continues.
      const steps = all.slice(0, opts.cap ?? all.length);
      const stepsNextCursor = steps.length < all.length ? opts.steps![steps.length - 1]!.id : null;
      return { id: 'r', workflowId: 'w', workflowVersionId: 'v', status: opts.status ?? 'running', inputs: {}, output: null, error: null, parentRunId: null, createdBy: null, triggerType: 'api', triggerId: null, test: false, createdAt: '', startedAt: null, finishedAt: null, steps, stepsTotal: all.length, stepsNextCursor, logs: [], lastSeq: opts.lastSeq ?? 1 };
    },
    endedStepIds: async () => (opts.steps ?? []).filter((s) => ['succeeded', 'failed', 'skipped', 'cancelled'].includes(s.status)).map((s) => s.id),
    eventsAfter: async (after, until) => {
      state.reads++;
      return log.filter((e) => e.seq! > after && (until === undefined || e.seq! <= until));
    },
    lastSeq: async () => Math.max(0, ...log.map((e) => e.seq!)),
    send: (m) => sent.push(m),
    close: (code, reason) => (state.closed = { code, reason }),
  };
  const seqs = () => sent.filter((m) => m.type === 'event').map((m) => (m.type === 'event' ? (m.event.seq ?? `${m.event.type}`) : null));
  return { io, sent, state, seqs, session: new LiveSession(io) };
}

describe('LiveSession', () => {
  it('sends the snapshot first, drops buffered events it already includes and sends the rest in seq order', async () => {
    const { session, sent, seqs } = fakeRun({ lastSeq: 3 });
    session.push([ev(2), ev(3)]);
    session.push([ev(4)]);
    await session.start();
    session.push([ev(5)]);
    await session.resync();
    expect(sent[0]).toMatchObject({ type: 'snapshot', run: { lastSeq: 3 } });
    expect(seqs()).toEqual([4, 5]);
  });

  it('drops a step notice overtaken by the snapshot but forwards one about a live step', async () => {
    const { session, seqs } = fakeRun({ lastSeq: 2, steps: [{ id: 'done', status: 'succeeded' }, { id: 'busy', status: 'running' }] });
    session.push([ev(null, 'step.started', 'done'), ev(2, 'step.succeeded', 'done'), ev(null, 'step.started', 'busy')]);
    await session.start();
    session.push([ev(3, 'step.succeeded', 'busy'), ev(null, 'step.progress', 'busy')]);
    await session.resync();
    expect(seqs()).toEqual(['step.started', 3]);
  });

  it('drops a notice about a step that ended past the snapshot\'s step cap, which the client reads from /steps', async () => {
    const steps = [{ id: 'first', status: 'succeeded' }, { id: 'late-done', status: 'succeeded' }, { id: 'late-busy', status: 'running' }];
    const { session, sent, seqs } = fakeRun({ lastSeq: 2, steps, cap: 1 });
    session.push([ev(null, 'step.started', 'late-done'), ev(null, 'step.started', 'late-busy')]);
    await session.start();
    expect(sent[0]).toMatchObject({ type: 'snapshot', run: { stepsTotal: 3, stepsNextCursor: 'first' } });
    expect(seqs()).toEqual(['step.started']);
    expect(sent[1]).toMatchObject({ event: { stepId: 'late-busy' } });
  });

  it('fills a gap from run_events, in order, and ignores the late duplicate', async () => {
    const log = [ev(2), ev(3), ev(4)];
    const { session, seqs, state } = fakeRun({ lastSeq: 1, log });
    await session.start();
    session.push([ev(4)]);
    session.push([ev(3), ev(2)]);
    await session.resync();
    expect(seqs()).toEqual([2, 3, 4]);
    expect(state.reads).toBe(1);
  });

  it('re-reads what the channel lost when asked to resync (heartbeat, reconnect)', async () => {
    const { session, seqs } = fakeRun({ lastSeq: 1, log: [ev(2), ev(3, 'run.failed')] });
    await session.start();
    await session.resync();
    expect(seqs()).toEqual([2, 3]);
  });

  it('closes with 1000 after the terminal run event and sends nothing after it', async () => {
    const { session, seqs, state } = fakeRun({ lastSeq: 1 });
    await session.start();
    session.push([ev(2), ev(3, 'run.cancelled'), ev(null, 'step.started', 's')]);
    session.push([ev(4)]);
    await session.resync();
    expect(seqs()).toEqual([2, 3]);
    expect(state.closed).toEqual({ code: 1000, reason: 'run.cancelled' });
  });

  it('closes at once after the snapshot when the run already ended', async () => {
    const { session, sent, state } = fakeRun({ lastSeq: 5, status: 'succeeded' });
    session.push([ev(6)]);
    await session.start();
    expect(sent.map((m) => m.type)).toEqual(['snapshot']);
    expect(state.closed?.code).toBe(1000);
  });

  it('closes with 4404 when the run is gone and 1011 when Postgres fails', async () => {
    const gone = fakeRun();
    gone.state.gone = true;
    await gone.session.start();
    expect(gone.state.closed?.code).toBe(4404);
    const failing = fakeRun();
    failing.state.fail = true;
    await failing.session.start();
    expect(failing.state.closed).toEqual({ code: 1011, reason: 'live events unavailable' });
    expect(failing.sent).toEqual([]);
  });

  it('falls back to run_events when too much was published before the snapshot', async () => {
    const log = Array.from({ length: 1500 }, (_, i) => ev(i + 2));
    const { session, seqs } = fakeRun({ lastSeq: 1, log });
    for (const e of log) session.push([e]);
    await session.start();
    expect(seqs()).toEqual(log.map((e) => e.seq));
  });
});
