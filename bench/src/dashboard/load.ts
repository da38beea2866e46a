/// <reference lib="dom" />
// Functions passed to page.evaluate run in the page: DOM types for them.
import { chromiumPath } from '@weft/chromium';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, VIEWPORT } from '../studio/browser';

/** A page of the app and the element that shows its data has rendered (its first meaningful content). */
export interface PageUnderTest {
  label: string;
  path: string;
  /** CSS selector of an element that only exists once the page's data is on screen. */
  ready: string;
}

/** One navigation, times from its start (performance.timeOrigin of the new document). */
export interface LoadSample {
  /** The `ready` element inserted into the DOM (MutationObserver from before the first byte). */
  contentMs: number;
  ttfbMs: number;
  fcpMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  /** Script resources (resource timing): bytes over the wire (0 from the HTTP cache), compressed and decoded bodies, and how many. */
  jsTransferred: number;
  jsEncoded: number;
  jsDecoded: number;
  jsFiles: number;
  /** The HTML document (with Next's inlined RSC payload) over the wire. */
  htmlTransferred: number;
  /** The page's API calls (fetches to the app's /api/ proxy): path and query, request start → response end. */
  apiCalls: { path: string; startMs: number; endMs: number }[];
}

/**
 * Records the first time each selector matches, from the very start of the document (before the
 * app's scripts run). Also defines `__name` (the helper tsx wraps named functions in; the
 * functions this file passes to page.evaluate call it in the page).
 */
const initScript = (selectors: string[]) => `(() => {
  globalThis.__name ??= (f) => f;
  const seen = (window.__weftSeen = {});
  const selectors = ${JSON.stringify(selectors)};
  const check = () => { for (const s of selectors) if (!(s in seen) && document.querySelector(s)) seen[s] = performance.now(); };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
})();`;

export class LoadBrowser {
  private constructor(
    readonly browser: Browser,
    readonly executablePath: string,
    private readonly origin: string,
    private readonly cookie: string,
    private readonly selectors: string[],
  ) {}

  static async launch(origin: string, cookie: string, pages: PageUnderTest[]): Promise<LoadBrowser> {
    const executablePath = chromiumPath();
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    return new LoadBrowser(browser, executablePath, origin, cookie, pages.map((p) => p.ready));
  }

  get version(): string {
    return this.browser.version();
  }

  /** A new browser context: empty HTTP cache, signed in (the `weft_session` cookie). */
  async newContext(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(initScript(this.selectors));
    await context.addCookies([{ name: 'weft_session', value: this.cookie, url: this.origin, httpOnly: true, sameSite: 'Lax' }]);
    return context;
  }

  /**
   * Opens `p` in a new page of `context` and waits for its ready element and the load event (then
   * 300 ms for late chunks); answers the page's own timings and the script bytes it fetched.
   */
  async load(context: BrowserContext, p: PageUnderTest, timeoutMs = 60_000): Promise<LoadSample> {
    const page = await context.newPage();
    try {
      await page.goto(`${this.origin}${p.path}`, { waitUntil: 'load', timeout: timeoutMs });
      await page.waitForFunction((sel) => sel in (window as unknown as { __weftSeen: Record<string, number> }).__weftSeen, p.ready, { polling: 50, timeout: timeoutMs });
      await page.waitForTimeout(300);
      return await page.evaluate((sel) => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
        const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
          (r) => r.initiatorType === 'script' || /\.m?js(\?|$)/.test(new URL(r.name).pathname),
        );
        const sum = (f: (r: PerformanceResourceTiming) => number) => scripts.reduce((t, r) => t + f(r), 0);
        const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.initiatorType === 'fetch' && new URL(r.name).pathname.startsWith('/api/'));
        return {
          contentMs: (window as unknown as { __weftSeen: Record<string, number> }).__weftSeen[sel]!,
          ttfbMs: nav.responseStart,
          fcpMs: fcp,
          domContentLoadedMs: nav.domContentLoadedEventEnd,
          loadMs: nav.loadEventEnd,
          jsTransferred: sum((r) => r.transferSize),
          jsEncoded: sum((r) => r.encodedBodySize),
          jsDecoded: sum((r) => r.decodedBodySize),
          jsFiles: scripts.length,
          htmlTransferred: nav.transferSize,
          apiCalls: api.map((r) => ({ path: new URL(r.name).pathname + new URL(r.name).search, startMs: r.startTime, endMs: r.responseEnd })),
        };
      }, p.ready);
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
