import { expect, test } from './support/fixtures';

test('first load', async ({ page, browser }) => {
  for (const round of ['cold', 'warm']) {
    const p = round === 'cold' ? page : await browser.newPage({ baseURL: process.env.DASHBOARD_URL });
    await p.goto('/', { waitUntil: 'commit' });
    await expect(p.getByTestId('status-chart')).toBeVisible();
    await expect(p.getByTestId('approvals-count')).toBeVisible();
    await expect(p.getByTestId('no-failures')).toBeVisible();
    const t = await p.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const api = res.filter((r) => r.name.includes('/api/')).map((r) => `${new URL(r.name).pathname}${new URL(r.name).search} ${Math.round(r.startTime)}+${Math.round(r.duration)}`);
      return { ready: Math.round(performance.now()), ttfb: Math.round(nav.responseStart), dcl: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), bytes: res.reduce((s, r) => s + (r.transferSize || 0), nav.transferSize), api };
    });
    console.log(`FIRST_LOAD ${round} ${JSON.stringify(t)}`);
  }
});
