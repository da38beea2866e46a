import { expect, test } from './support/fixtures';

// Seeded runs and several API round trips per test, on a shared and busy machine.
test.describe.configure({ timeout: 180_000 });

test('a webhook is created from its workflow page, sent a test event, its delivery replayed, disabled and deleted', async ({ page, seeded }) => {
  await page.goto(`/workflows/${seeded.workflows.quick}`);
  const section = page.getByTestId('workflow-webhooks');
  await section.locator('summary', { hasText: 'New webhook' }).click();
  await section.getByTestId('webhook-scheme').selectOption('standard-webhooks');
  await section.getByTestId('webhook-mode').selectOption('async');
  await section.getByTestId('webhook-create').click();
  // The generated secret is shown once.
  await expect(page.getByTestId('webhook-secret').locator('code')).toHaveText(/^whsec_/);
  const hook = section.getByTestId('webhook-row');
  await expect(hook).toHaveCount(1);
  await expect(hook.getByTestId('webhook-url')).toHaveText(/\/hooks\//);

  await hook.getByTestId('webhook-open').click();
  await hook.getByTestId('webhook-test').click();
  await expect(hook.getByTestId('webhook-test-answer')).toContainText('The ingress answered 202');
  const delivery = hook.getByTestId('delivery-row').first();
  await expect(delivery).toHaveAttribute('data-status', 'accepted');
  await delivery.getByTestId('delivery-replay').click();
  await expect(hook.getByTestId('webhook-replay-note')).toContainText('Replayed: run');
  await expect(hook.getByTestId('delivery-row')).toHaveCount(2);

  // Listed on the org's page too, with its workflow.
  await page.goto('/webhooks');
  const listed = page.locator(`[data-testid="webhook-row"][data-workflow="${seeded.workflows.quick}"]`);
  await expect(listed).toHaveCount(1);
  await listed.getByTestId('webhook-enabled').click();
  await expect(listed.getByTestId('webhook-enabled')).toHaveAttribute('aria-checked', 'false');
  await listed.getByTestId('webhook-delete').click();
  await listed.getByTestId('webhook-delete-confirm').click();
  await expect(listed).toHaveCount(0);
});

test('a schedule is created with a cron expression and a zone, previews its next runs, refuses a bad expression, is disabled and deleted', async ({ page, api, seeded }) => {
  await page.goto('/schedules');
  await page.locator('summary', { hasText: 'New schedule' }).click();
  await page.getByTestId('schedule-workflow').selectOption(seeded.workflows.quick);
  await page.getByTestId('schedule-cron').fill('61 * * * *');
  await expect(page.getByTestId('cron-preview-error')).toContainText('cron');
  await page.getByTestId('schedule-cron').fill('30 8 * * 1');
  await page.getByTestId('schedule-timezone').fill('America/New_York');
  await expect(page.getByTestId('cron-fire')).toHaveCount(5);
  await expect(page.getByTestId('cron-fire').first()).toContainText(/08:30:00-0[45]:00/);
  await page.getByTestId('schedule-create').click();

  const row = page.locator(`[data-testid="schedule-row"][data-workflow="${seeded.workflows.quick}"]`);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('America/New_York');
  await expect(row.getByTestId('schedule-next').locator('li')).toHaveCount(3);
  const [schedule] = (await api.listSchedules(seeded.workflows.quick)).items;
  expect(schedule).toMatchObject({ cron: '30 8 * * 1', timezone: 'America/New_York', enabled: true });

  await row.getByTestId('schedule-enabled').click();
  await expect(row.getByTestId('schedule-enabled')).toHaveAttribute('aria-checked', 'false');
  expect((await api.getSchedule(schedule!.id)).enabled).toBe(false);
  await expect(row.getByTestId('schedule-next')).toContainText('disabled');

  // The workflow's own page lists it too.
  await page.goto(`/workflows/${seeded.workflows.quick}`);
  await expect(page.getByTestId('workflow-schedules').getByTestId('schedule-row')).toHaveCount(1);
  await page.getByTestId('workflow-schedules').getByTestId('schedule-delete').click();
  await page.getByTestId('workflow-schedules').getByTestId('schedule-delete-confirm').click();
  await expect(page.getByTestId('workflow-schedules').getByTestId('schedules-empty')).toBeVisible();
  expect((await api.listSchedules(seeded.workflows.quick)).items).toEqual([]);
});
