import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';
import { shortId } from '../src/lib/format';

test('the run list filters by workflow, status and trigger type, from the URL too', async ({ page, seeded }) => {
  await page.goto('/runs');
  await page.getByTestId('filter-workflow').selectOption(seeded.workflows.approval);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await page.getByTestId('filter-status').selectOption('cancelled');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toContainText(shortId(seeded.cancelled.id));
  await expect(page).toHaveURL(/status=cancelled/);

  await page.getByTestId('filter-trigger').selectOption('schedule');
  await expect(page.getByTestId('empty-state')).toContainText('No runs match');
  await page.goto(`/runs?workflowId=${seeded.workflows.flaky}&status=failed&range=1h`);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row').locator('.cell-error')).toContainText('503');
});

test('a selection is cancelled and retried in bulk', async ({ page, api, seeded }) => {
  await page.goto(`/runs?workflowId=${seeded.workflows.approval}`);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await page.getByLabel('Select every run shown').check();
  await page.getByTestId('bulk-cancel').click();
  // Only the waiting run can be cancelled; the cancelled one is left as it is.
  await expect(page.getByTestId('bulk-notice')).toHaveText('Cancelled 1 run');
  await runUntil(api, seeded.waiting.id, (r) => r.status === 'cancelled');

  await page.goto(`/runs?workflowId=${seeded.workflows.flaky}`);
  await page.getByLabel(`Select run ${shortId(seeded.failed.id)}`).check();
  await page.getByTestId('bulk-retry').click();
  await expect(page.getByTestId('bulk-notice')).toHaveText('Retried 1 run');
  await runUntil(api, seeded.failed.id, (r) => r.status === 'succeeded');
});

test('the run list pages 50 runs at a time', async ({ page, api, seeded }) => {
  for (let i = 0; i < 50; i += 10) await Promise.all(Array.from({ length: 10 }, () => api.createRun({ workflowId: seeded.workflows.quick, inputs: { name: 'Grace' } })));
  await page.goto(`/runs?workflowId=${seeded.workflows.quick}`);
  await expect(page.getByTestId('run-row')).toHaveCount(50);
  await page.getByTestId('load-more').click();
  await expect(page.getByTestId('run-row')).toHaveCount(51);
  await expect(page.getByTestId('load-more')).toHaveCount(0);
  // The oldest run, the seeded one, comes last.
  await expect(page.getByTestId('run-row').last()).toContainText(shortId(seeded.succeeded.id));
});
