import type { Browser } from 'playwright-core';

/** Trace categories: tasks, the DevTools timeline (script, style, layout, paint, GC) and user timing marks. */
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: start and duration, when the trace has them. */
  tts?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface TraceSummary {
  /** Wall time covered (ms). */
  spanMs: number;
  /** Busy time of each thread (top-level tasks, ms), busiest first: where the CPU went, per process/thread. */
  threads: { thread: string; busyMs: number }[];
  /** Self time per event name on the page's main thread (ms), largest first. */
  mainThread: { event: string; selfMs: number; count: number }[];
  /** The page's main thread per frame it produced, in order (see `workPerFrame`): CPU time (ms)... */
  frameWorkMs: number[];
  /** ...and wall time busy (ms), which also counts the time other processes took the CPU from it. */
  frameBusyMs: number[];
}

/** Records a Chrome trace (CDP Tracing, whole browser) around `fn` and summarises it. */
export async function traced<T>(browser: Browser, fn: () => Promise<T>): Promise<{ result: T; summary: TraceSummary; events: TraceEvent[] }> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' } });
    const result = await fn();
    await cdp.send('Tracing.end');
    await complete;
    return { result, summary: summarize(events), events };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

const key = (e: { pid: number; tid: number }) => `${e.pid}:${e.tid}`;

/** A complete event of one thread (µs): wall start and duration, CPU time. */
interface Slice {
  name: string;
  ts: number;
  dur: number;
  cpu: number;
}

export function summarize(events: TraceEvent[]): TraceSummary {
  const names = new Map<string, string>();
  const procs = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(key(e), e.args?.name ?? '?');
    if (e.ph === 'M' && e.name === 'process_name') procs.set(e.pid, e.args?.name ?? '?');
  }
  // Complete events per thread; B/E pairs folded into complete ones.
  const byThread = new Map<string, Slice[]>();
  const open = new Map<string, TraceEvent[]>();
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const e of events) {
    if (e.ph === 'X' || e.ph === 'B' || e.ph === 'E') {
      t0 = Math.min(t0, e.ts);
      t1 = Math.max(t1, e.ts + (e.dur ?? 0));
    }
    const list = byThread.get(key(e)) ?? [];
    if (e.ph === 'X' && e.dur !== undefined) list.push({ name: e.name, ts: e.ts, dur: e.dur, cpu: e.tdur ?? e.dur });
    else if (e.ph === 'B') (open.get(key(e)) ?? open.set(key(e), []).get(key(e))!).push(e);
    else if (e.ph === 'E') {
      const b = open.get(key(e))?.pop();
      if (b) list.push({ name: b.name, ts: b.ts, dur: e.ts - b.ts, cpu: b.tts !== undefined && e.tts !== undefined ? e.tts - b.tts : e.ts - b.ts });
    } else continue;
    byThread.set(key(e), list);
  }
  const threads: TraceSummary['threads'] = [];
  let main: { k: string; busy: number } | null = null;
  const selfTimes = new Map<string, Map<string, { self: number; count: number }>>();
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    let busy = 0;
    let topEnd = -Infinity;
    const stack: { name: string; end: number; child: number; dur: number }[] = [];
    const self = new Map<string, { self: number; count: number }>();
    const pop = () => {
      const s = stack.pop()!;
      const entry = self.get(s.name) ?? { self: 0, count: 0 };
      entry.self += s.dur - s.child;
      entry.count++;
      self.set(s.name, entry);
    };
    for (const ev of list) {
      while (stack.length && stack.at(-1)!.end <= ev.ts) pop();
      if (stack.length) stack.at(-1)!.child += Math.min(ev.dur, stack.at(-1)!.end - ev.ts);
      else if (ev.ts >= topEnd) {
        busy += ev.dur;
        topEnd = ev.ts + ev.dur;
      } else if (ev.ts + ev.dur > topEnd) {
        busy += ev.ts + ev.dur - topEnd;
        topEnd = ev.ts + ev.dur;
      }
      stack.push({ name: ev.name, end: ev.ts + ev.dur, child: 0, dur: ev.dur });
    }
    while (stack.length) pop();
    const [pid] = k.split(':');
    const thread = `${procs.get(Number(pid)) ?? 'process'} ${pid} / ${names.get(k) ?? k}`;
    threads.push({ thread, busyMs: busy / 1000 });
    selfTimes.set(k, self);
    if (names.get(k) === 'CrRendererMain' && (!main || busy > main.busy)) main = { k, busy };
  }
  threads.sort((a, b) => b.busyMs - a.busyMs);
  const mainSelf = main ? [...selfTimes.get(main.k)!].map(([event, v]) => ({ event, selfMs: v.self / 1000, count: v.count })) : [];
  mainSelf.sort((a, b) => b.selfMs - a.selfMs);
  const frames = main ? workPerFrame(byThread.get(main.k)!) : [];
  return {
    spanMs: (t1 - t0) / 1000,
    threads: threads.filter((t) => t.busyMs >= 1),
    mainThread: mainSelf.filter((m) => m.selfMs >= 0.5),
    frameWorkMs: frames.map((f) => f.cpuMs),
    frameBusyMs: frames.map((f) => f.wallMs),
  };
}

/**
 * What a main thread's top-level tasks (input, script, style, layout, paint, ...) took from one
 * frame's commit to the compositor to the next, for each frame it committed (a task counts for the
 * frame during which it started): the cost of making each frame, where rAF deltas only tell
 * whether a frame missed a vsync. Slices sorted by start, outer before inner; the work before the
 * first commit (the trace started mid-frame) is left out.
 */
export function workPerFrame(list: readonly Slice[]): { cpuMs: number; wallMs: number }[] {
  const commits = list.filter((e) => e.name === 'Commit').map((e) => e.ts + e.dur);
  const tasks: { start: number; end: number; cpu: number }[] = [];
  for (const e of list) {
    const last = tasks.at(-1);
    if (!last || e.ts >= last.end) tasks.push({ start: e.ts, end: e.ts + e.dur, cpu: e.cpu });
    else last.end = Math.max(last.end, e.ts + e.dur);
  }
  const out: { cpuMs: number; wallMs: number }[] = [];
  let i = 0;
  while (i < tasks.length && tasks[i]!.start < (commits[0] ?? Infinity)) i++;
  for (let k = 1; k < commits.length; k++) {
    let cpu = 0;
    let wall = 0;
    for (; i < tasks.length && tasks[i]!.start < commits[k]!; i++) {
      cpu += tasks[i]!.cpu;
      wall += tasks[i]!.end - tasks[i]!.start;
    }
    out.push({ cpuMs: cpu / 1000, wallMs: wall / 1000 });
  }
  return out;
}

