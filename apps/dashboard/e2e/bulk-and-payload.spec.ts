import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';

test('every failed run matching the filter is retried with "Retry all matching"', async ({ page, api, seeded }) => {
  const more = await Promise.all([0, 1].map(async () => (await api.createRun({ workflowId: seeded.workflows.flaky })).runId));
  await Promise.all(more.map((id) => runUntil(api, id, (r) => r.status === 'failed')));
  const failed = [seeded.failed.id, ...more];

  await page.goto(`/runs?workflowId=${seeded.workflows.flaky}&status=failed`);
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  // A failed-only filter offers no "Cancel all matching": no run it shows could be cancelled.
  await expect(page.getByTestId('bulk-cancel-matching')).toHaveCount(0);
  await page.getByTestId('bulk-retry-matching').click();
  await expect(page.getByRole('group', { name: /Retry every failed or cancelled run matching these filters \(up to 1000\)/ })).toBeVisible();
  await page.getByTestId('bulk-retry-matching-confirm').click();
  await expect(page.getByTestId('bulk-notice')).toHaveText('Retried 3 matching runs');
  const runs = await Promise.all(failed.map((id) => runUntil(api, id, (r) => r.status === 'succeeded')));
  expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
});

test('an approval is approved with a JSON payload, after a clear error for text that is not JSON', async ({ page, api, seeded }) => {
  await page.goto(`/runs/${seeded.waiting.id}`);
  const card = page.getByTestId('approval-card');
  const field = card.getByLabel(/Payload \(optional JSON/);
  await field.fill("{note: 'by Ada'}");
  await card.getByTestId('approve').click();
  await expect(card.getByTestId('approval-payload-error')).toContainText('The payload is not valid JSON');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  expect((await api.getRun(seeded.waiting.id)).status).toBe('waiting');

  await field.fill('{"note": "by Ada", "amount": 40}');
  await expect(card.getByTestId('approval-payload-error')).toHaveCount(0);
  await field.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(card.getByTestId('approve')).toBeFocused();
  await page.keyboard.press('Enter');
  const run = await runUntil(api, seeded.waiting.id, (r) => r.status === 'succeeded');
  expect(run.steps.find((s) => s.nodeId === 'approve')).toMatchObject({ handle: 'approved', output: { note: 'by Ada', amount: 40 } });
});
