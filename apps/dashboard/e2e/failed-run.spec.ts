import { expect, test } from './support/fixtures';
import { shortId } from '../src/lib/format';

test('a failed run is found from the home page, its failing step read, and a retry makes it succeed', async ({ page, api, seeded }) => {
  const id = seeded.failed.id;
  await page.goto('/');
  const failure = page.getByTestId('failures').locator('li', { hasText: shortId(id) });
  await expect(failure).toContainText('Charge customer');
  await failure.getByTestId('failure-link').click();

  await expect(page).toHaveURL(new RegExp(`/runs/${id}$`));
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('failed');
  await expect(page.getByTestId('run-error')).toContainText('503');
  const step = page.getByTestId('step-call');
  await expect(step).toHaveAttribute('data-status', 'failed');
  await expect(step.getByTestId('step-error')).toContainText('503');
  await step.locator('summary').click();
  await expect(step.getByTestId('attempt')).toHaveCount(2);
  // Each attempt shows its log lines: the HTTP answer and why it was retried.
  const firstLogs = step.getByTestId('attempt').first().getByTestId('step-logs');
  await expect(firstLogs).toContainText('HTTP 503 in');
  await expect(firstLogs).toContainText('attempt 1 failed (http_error)');
  await expect(step.getByTestId('attempt').nth(1).getByTestId('step-logs')).toContainText('attempt 2 started after a retry backoff of');
  await expect(page.locator('.react-flow__node.graph-failed')).toHaveAttribute('data-id', 'call');
  await expect(page.getByTestId('event-history')).toContainText('run.failed');

  await page.getByTestId('retry-run').click();
  // The page follows the retried run (live) until it ends.
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');
  await expect(page.getByTestId('step-call')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.locator('.react-flow__node[data-id="out"]')).toHaveClass(/graph-succeeded/);
  expect((await api.getRun(id)).status).toBe('succeeded');
});

test('a failed run is retried from a chosen node', async ({ page, api, seeded }) => {
  await page.goto(`/runs/${seeded.failed.id}`);
  await page.getByTestId('retry-from-call').click();
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');
  const run = await api.getRun(seeded.failed.id);
  expect(run.steps.filter((s) => s.nodeId === 'call').map((s) => s.status)).toEqual(['failed', 'failed', 'succeeded']);
});
