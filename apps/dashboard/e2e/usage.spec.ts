import { expect, test } from './support/fixtures';

test('the Usage page shows this month against the plan, per day, by workflow and by node type; a run shows its cost', async ({ page, api, seeded }) => {
  // The seeded flaky workflow's http_request steps ran in the executor: metered by node type.
  const usage = await api.getUsage({ from: new Date().toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10), groupBy: 'workflow' });
  const flaky = usage.items.find((i) => i.key === seeded.workflows.flaky)!;
  expect(flaky.totals.run).toBe(1);

  await page.goto('/');
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(page.getByRole('heading', { name: 'Usage' })).toBeVisible();
  // The bootstrap org is on the default plan: every quota unlimited.
  await expect(page.getByTestId('plan-name')).toContainText('Default (unlimited)');
  await expect(page.getByTestId('quota-runsPerMonth')).toContainText('/ unlimited');
  await expect(page.getByTestId('quota-concurrentRuns')).toContainText('/ unlimited');
  await expect(page.getByTestId('total-run').locator('dd')).not.toHaveText('0');
  // Today's bar of the runs chart holds today's runs (not aggregated yet: counted from the events).
  const today = new Date().toISOString().slice(0, 10);
  const bar = page.getByTestId('daily-run').locator(`[data-day="${today}"]`);
  await expect(bar).toHaveAttribute('data-value', /^[1-9]\d*$/);
  const row = page.getByTestId('usage-by-workflow').getByRole('row', { name: new RegExp(`Charge customer ${test.info().testId.slice(0, 6)}`) });
  await expect(row.locator('td').nth(1)).toHaveText('1');
  await expect(page.getByTestId('usage-by-node-type')).toContainText('http_request');

  // The run viewer's cost line: the run's usage priced with the plan.
  await page.goto(`/runs/${seeded.failed.id}`);
  await expect(page.getByTestId('run-cost')).toContainText(/Cost USD \d+\.\d{6}/);
  await expect(page.getByTestId('run-cost')).toContainText('Runs 1');
});
