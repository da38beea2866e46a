import { expect, test } from './support/fixtures';

test('first load', async ({ page }) => {
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.getByTestId('status-chart')).toBeVisible();
  await expect(page.getByTestId('approvals-count')).toBeVisible();
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + ((r as PerformanceResourceTiming).transferSize || 0), nav.transferSize);
    return { ready: performance.now(), ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, bytes };
  });
  console.log(`FIRST_LOAD ${JSON.stringify(t)}`);
});
