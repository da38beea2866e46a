/// <reference lib="dom" />
// Functions passed to page.evaluate run in the page: DOM types for them.
import { CHROMIUM_ARGS as BASE_ARGS, chromiumPath } from '@weft/chromium';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
/**
 * Chromium 156, headless too, starts a renderer for its WebUI omnibox popup (chrome://omnibox-popup,
 * "WebUI Top Renderer" in the traces) with every new tab. It took ~340 ms of CPU during each open
 * of a 500-node workflow, on a 2-core machine: the studio's renderer waited for a core (open 1,200 →
 * 700 ms without it, same build, same machine). There is no omnibox in a headless browser: off.
 */
const NO_OMNIBOX_WEBUI = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup';
/** The flags Chromium needs here (as the studio's browser tests), and the omnibox WebUI off. */
export const CHROMIUM_ARGS = [...BASE_ARGS, NO_OMNIBOX_WEBUI];
/** As the studio's Playwright tests. */
export const VIEWPORT = { width: 1440, height: 900 };
const READY_MARK = 'weft:canvas-ready';
const LOADED_MARK = 'weft:workflow-loaded';
/** The main thread counts as settled after this long without a long task (≥ 50 ms). */
const QUIET_MS = 1000;

/** Main-thread time from CDP Performance.getMetrics (cumulative per page; the bench takes differences). */
export interface MainThread {
  /** Everything the renderer's main thread did (tasks). */
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  layouts: number;
  styleRecalcs: number;
}

export interface OpenSample {
  /** Navigation start → `weft:canvas-ready` (the studio's mark: first frame after every node is measured and the view fitted). */
  readyMs: number;
  /** Navigation start → `weft:workflow-loaded` (the API answered; the rest is the studio building the canvas). */
  loadedMs: number;
  /** Navigation start → end of the last long task before a quiet second (TTI-like; ≥ readyMs). */
  settledMs: number;
  /** Long tasks (≥ 50 ms) between canvas-ready and settled. */
  longTasksAfterReady: number[];
  nodesRendered: number;
  edgesRendered: number;
  zoom: number;
  /** Main-thread time of the whole open, navigation → settled. */
  main: MainThread;
}

export interface PanSample {
  /** requestAnimationFrame deltas while the pane is dragged (ms). */
  frames: number[];
  /** Main-thread time over the pan. */
  main: MainThread;
  zoom: number;
  nodesRendered: number;
}

/**
 * Collects long tasks from the very start of every page, before the studio's scripts run. Also
 * defines `__name`, the helper tsx (esbuild keepNames) wraps named functions in: the functions this
 * file passes to page.evaluate are compiled by tsx and call it in the page.
 */
const INIT_SCRIPT = `(() => {
  globalThis.__name ??= (f) => f;
  const w = (window.__weftBench = { longTasks: [], frames: [], collecting: false });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

interface BenchWindow {
  __weftBench: { longTasks: [number, number][]; frames: number[]; collecting: boolean };
}

export class StudioBrowser {
  private constructor(
    readonly browser: Browser,
    private readonly context: BrowserContext,
    /** The Chromium binary driven. */
    readonly executablePath: string,
  ) {}

  /** `session`: the studio's URL and a `weft_session` cookie value (studioSession), so every page is signed in. */
  static async launch(session?: { url: string; cookie: string }): Promise<StudioBrowser> {
    // WEFT_CHROMIUM, the system's or Playwright's own (one line saying what to install when none).
    const executablePath = chromiumPath();
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(INIT_SCRIPT);
    if (session) await context.addCookies([{ name: 'weft_session', value: session.cookie, url: session.url, httpOnly: true, sameSite: 'Lax' }]);
    return new StudioBrowser(browser, context, executablePath);
  }

  get version(): string {
    return this.browser.version();
  }

  /** A fresh page (same browser context: the studio's scripts come from the HTTP cache after the warm-up, as for a returning user). */
  async newPage(): Promise<{ page: Page; cdp: CDPSession; close(): Promise<void> }> {
    const page = await this.context.newPage();
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    return { page, cdp, close: () => page.close() };
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.browser.close();
  }
}

export async function mainThread(cdp: CDPSession): Promise<MainThread> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = new Map(metrics.map((x) => [x.name, x.value]));
  const s = (name: string) => (m.get(name) ?? 0) * 1000;
  return {
    taskMs: s('TaskDuration'),
    scriptMs: s('ScriptDuration'),
    layoutMs: s('LayoutDuration'),
    styleMs: s('RecalcStyleDuration'),
    layouts: m.get('LayoutCount') ?? 0,
    styleRecalcs: m.get('RecalcStyleCount') ?? 0,
  };
}

export const diffMain = (a: MainThread, b: MainThread): MainThread => ({
  taskMs: b.taskMs - a.taskMs,
  scriptMs: b.scriptMs - a.scriptMs,
  layoutMs: b.layoutMs - a.layoutMs,
  styleMs: b.styleMs - a.styleMs,
  layouts: b.layouts - a.layouts,
  styleRecalcs: b.styleRecalcs - a.styleRecalcs,
});

/**
 * Opens the workflow in `page` and waits for the studio's `weft:canvas-ready` mark, then until the
 * main thread has been free of long tasks for a second. Times are from the navigation start
 * (performance.timeOrigin of the new document).
 */
export async function openWorkflow(page: Page, cdp: CDPSession, url: string, timeoutMs = 60_000): Promise<OpenSample> {
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK, { polling: 50, timeout: timeoutMs });
  const readyMs = await page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, READY_MARK);
  // Settled: no long task started within QUIET_MS of the last one's end (or of the mark).
  let settledMs = readyMs;
  let after: number[] = [];
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    const { now, tasks } = await page.evaluate(() => ({ now: performance.now(), tasks: (window as unknown as BenchWindow).__weftBench.longTasks }));
    after = tasks.filter(([start]) => start + 1 >= readyMs).map(([, d]) => d);
    const ends = tasks.filter(([start]) => start + 1 >= readyMs).map(([start, d]) => start + d);
    settledMs = Math.max(readyMs, ...ends);
    if (now - settledMs >= QUIET_MS) break;
    await page.waitForTimeout(200);
  }
  const main = await mainThread(cdp);
  const shown = await page.evaluate((mark) => {
    const t = document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
    return {
      loaded: performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN,
      nodes: document.querySelectorAll('.react-flow__node').length,
      edges: document.querySelectorAll('.react-flow__edge').length,
      zoom: Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? Number.NaN),
    };
  }, LOADED_MARK);
  return { readyMs, loadedMs: shown.loaded, settledMs, longTasksAfterReady: after, nodesRendered: shown.nodes, edgesRendered: shown.edges, zoom: shown.zoom, main };
}

/** A point of the canvas where the empty pane is hit (a drag there pans), searched outwards from its centre. */
async function panePoint(page: Page): Promise<{ x: number; y: number }> {
  const p = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (let ring = 0; ring < 40; ring++)
      for (let k = 0; k < Math.max(1, ring * 8); k++) {
        const a = (k / Math.max(1, ring * 8)) * 2 * Math.PI;
        const x = cx + ring * 8 * Math.cos(a);
        const y = cy + ring * 8 * Math.sin(a);
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    return null;
  });
  if (!p) throw new Error('no empty spot of the canvas to drag');
  return p;
}

const zoomOf = (page: Page) =>
  page.evaluate(() => Number(/scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '')?.[1] ?? Number.NaN));

/** Zooms with the mouse wheel at the canvas centre until the zoom is at least `target`. */
export async function zoomTo(page: Page, target: number): Promise<number> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 60 && (await zoomOf(page)) < target * 0.98; i++) {
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(30);
  }
  await page.waitForTimeout(400);
  return zoomOf(page);
}

/**
 * Drags the empty pane round a circle (radius 150 px, one turn per 1.5 s) for `durationMs`, a mouse
 * move every 8 ms (a 125 Hz mouse; each waits for the renderer to take it), while the page records
 * requestAnimationFrame deltas.
 */
export async function pan(page: Page, cdp: CDPSession, durationMs: number): Promise<PanSample> {
  const start = await panePoint(page);
  const r = 150;
  const c = { x: start.x - r, y: start.y };
  await page.mouse.move(start.x, start.y);
  await page.evaluate(() => {
    const w = (window as unknown as BenchWindow).__weftBench;
    w.frames = [];
    w.collecting = true;
    let last: number | undefined;
    const loop = (t: number) => {
      if (last !== undefined) w.frames.push(t - last);
      last = t;
      if (w.collecting) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  const before = await mainThread(cdp);
  await page.mouse.down();
  const t0 = performance.now();
  for (let next = t0; ; next += 8) {
    const t = performance.now() - t0;
    if (t >= durationMs) break;
    const a = (t / 1500) * 2 * Math.PI;
    await page.mouse.move(c.x + r * Math.cos(a), c.y + r * Math.sin(a));
    const wait = next + 8 - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = (window as unknown as BenchWindow).__weftBench;
    w.collecting = false;
    return w.frames;
  });
  const main = diffMain(before, await mainThread(cdp));
  const nodesRendered = await page.locator('.react-flow__node').count();
  return { frames, main, zoom: await zoomOf(page), nodesRendered };
}

/**
 * Clicks a node near the canvas centre and answers the time from the pointerdown event to the
 * first frame after the node shows as selected (React Flow's `selected` class).
 */
export async function clickToSelect(page: Page): Promise<number> {
  const target = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    let best: { id: string; x: number; y: number; d: number } | null = null;
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      const x = r.x + r.width / 2;
      const y = r.y + r.height / 2;
      if (x < box.x + 40 || x > box.right - 200 || y < box.y + 40 || y > box.bottom - 150) continue;
      if (!el.contains(document.elementFromPoint(x, y))) continue;
      const d = Math.hypot(x - cx, y - cy);
      if (!best || d < best.d) best = { id: el.dataset.id!, x, y, d };
    }
    return best;
  });
  if (!target) throw new Error('no node to click near the centre of the canvas');
  const measured = page.evaluate(
    (id) =>
      new Promise<number>((resolve, reject) => {
        const el = document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`)!;
        let down = Number.NaN;
        addEventListener('pointerdown', (e) => (down = e.timeStamp), { capture: true, once: true });
        const mo = new MutationObserver(() => {
          if (!el.classList.contains('selected')) return;
          mo.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - down), 0));
        });
        mo.observe(el, { attributes: true, attributeFilter: ['class'] });
        setTimeout(() => reject(new Error(`node ${id} was not selected within 10 s`)), 10_000);
      }),
    target.id,
  );
  await page.waitForTimeout(50); // the listeners are in place
  await page.mouse.click(target.x, target.y);
  return measured;
}

/** requestAnimationFrame deltas of an empty page for `durationMs`, the mouse moving as in `pan`: the browser's own floor. */
export async function blankFrames(page: Page, durationMs: number): Promise<number[]> {
  await page.setContent('<!doctype html><title>blank</title><body style="margin:0;height:100vh"></body>');
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let first: number | undefined;
        let last: number | undefined;
        const loop = (t: number) => {
          first ??= t;
          if (last !== undefined) out.push(t - last);
          last = t;
          if (t - first < ms) requestAnimationFrame(loop);
          else resolve(out);
        };
        requestAnimationFrame(loop);
      }),
    durationMs,
  );
}
