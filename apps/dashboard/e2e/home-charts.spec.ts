import { expect, test } from './support/fixtures';

test('the home chart draws the last 7 days by status, its numbers readable as a table, a segment opening the filtered runs', async ({ page, seeded }) => {
  expect(seeded.failed.id).toBeTruthy();
  await page.goto('/');
  const chart = page.getByTestId('status-chart');
  const table = chart.getByTestId('days-table');
  await expect(table.locator('tbody tr')).toHaveCount(7);
  // Today's row (the last) holds the legend's numbers: at least the failed run seeded for this test.
  const today = table.locator('tbody tr').last();
  const failedToday = Number(await chart.getByTestId('count-failed').locator('strong').textContent());
  expect(failedToday).toBeGreaterThanOrEqual(1);
  await expect(today.locator('td').nth(4)).toHaveText(/^[1-9]\d*$/);
  await expect(chart.locator('svg[role="img"]')).toHaveAttribute('aria-label', /last 7 days/);

  // The last day's failed segment links to the failed runs since that day.
  await chart.locator('svg a').filter({ has: page.locator('rect.fill-failed') }).last().click();
  await expect(page).toHaveURL(/\/runs\?status=failed&since=/);
  await expect(page.locator(`a[href="/runs/${seeded.failed.id}"]`).first()).toBeVisible();
});

test('a workflow’s success-rate sparkline is an SVG line with the rate and counts in its label', async ({ page, seeded }) => {
  const tag = test.info().testId.slice(0, 6);
  await page.goto('/workflows');
  await page.getByTestId('workflow-search').fill(`Charge customer ${tag}`);
  const row = page.locator(`[data-testid="workflow-row"][data-workflow-id="${seeded.workflows.flaky}"]`);
  // Its one run failed today: 0 of 1, one red point.
  await expect(row.getByTestId('success-rate').locator('svg')).toHaveAttribute('aria-label', '0% succeeded over 14 days (0 of 1)');
  await expect(row.locator('circle.spark-dot-failed')).toHaveCount(1);

  await page.getByTestId('workflow-search').fill(`Greeting ${tag}`);
  const quick = page.locator(`[data-testid="workflow-row"][data-workflow-id="${seeded.workflows.quick}"]`);
  await expect(quick.getByTestId('success-rate').locator('svg')).toHaveAttribute('aria-label', '100% succeeded over 14 days (1 of 1)');
  await expect(quick.locator('circle.spark-dot')).toHaveCount(1);
  await expect(quick.locator('circle.spark-dot-failed')).toHaveCount(0);
});
