import { expect, test } from './support/fixtures';

const directives = (csp: string | undefined) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

test('every screen has the navigation and a main landmark', async ({ page }) => {
  for (const [name, path] of [['Home', '/'], ['Workflows', '/workflows'], ['Runs', '/runs'], ['Approvals', '/approvals'], ['Webhooks', '/webhooks'], ['Schedules', '/schedules'], ['Secrets', '/secrets'], ['API keys', '/api-keys']]) {
    await page.goto(path!);
    await expect(page.getByRole('main')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: name! })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name!);
  }
});

test('the theme switch changes the theme and the choice is kept', async ({ page }) => {
  await page.goto('/secrets');
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const before = await theme();
  await page.getByTestId('theme-toggle').click();
  expect(await theme()).not.toBe(before);
  await page.reload();
  expect(await theme()).not.toBe(before);
});

test('the dashboard sends its security headers and its proxy refuses other sites', async ({ page }) => {
  for (const path of ['/', '/runs', '/api/weft/v1/runs']) {
    const headers = (await page.request.get(path)).headers();
    const csp = directives(headers['content-security-policy']);
    expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
    expect(csp.get('script-src'), path).not.toContain("'unsafe-eval'");
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
  const crossSite = await page.request.post('/api/weft/v1/runs', { headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, data: {} });
  expect(crossSite.status()).toBe(403);
  expect((await page.request.get('/api/weft/healthz')).status()).toBe(404);
  expect((await page.request.get('/api/live/not-a-run')).status()).toBe(404);
});

test('a workflow is found by name and run now with a form from its trigger inputs', async ({ page, seeded }) => {
  await page.goto('/workflows');
  await page.getByTestId('workflow-search').fill('refund approval');
  const row = page.getByTestId('workflow-row').filter({ has: page.locator(`a[href="/runs?workflowId=${seeded.workflows.approval}"]`) });
  // Its last run: the seeded run cancelled last.
  await expect(row.getByTestId('status-badge')).toHaveText('cancelled');
  await expect(page.getByTestId('workflow-row').filter({ hasText: 'Greeting' })).toHaveCount(0);
  await row.getByTestId('run-now').click();
  await row.getByTestId('input-amount').fill('12');
  await row.getByTestId('input-reason').fill('Late delivery');
  await row.getByTestId('start-run').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('approval-card')).toContainText('Refund 12 EUR (Late delivery)?');
});
