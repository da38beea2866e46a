import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { runUntil } from './support/seed';

// The dashboard's screens shown in the README, light and dark: `pnpm --filter @weft/dashboard screenshots`.
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `dashboard-${name}.png`) });

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });
    // Seven screens with their data, one after the other: longer than one e2e path on a busy machine.
    test.setTimeout(300_000);

    test(`main screens (${theme})`, async ({ page, api, seeded }) => {
      await page.goto('/');
      await expect(page.getByTestId('failures').locator('li').first()).toBeVisible();
      await expect(page.getByTestId('approvals-count')).toBeVisible();
      await shot(page, `home-${theme}`);

      await page.goto('/runs');
      await expect(page.getByTestId('run-row').first()).toBeVisible();
      await shot(page, `runs-${theme}`);

      await page.goto(`/runs/${seeded.failed.id}`);
      await expect(page.locator('.react-flow__node.graph-failed')).toBeVisible();
      await page.getByTestId('step-call').locator('summary').click();
      await shot(page, `run-${theme}`);

      await page.goto('/approvals');
      await expect(page.getByTestId('approval-card').first()).toBeVisible();
      await shot(page, `approvals-${theme}`);

      await page.goto('/workflows');
      await expect(page.getByTestId('workflow-row').first()).toBeVisible();
      await shot(page, `workflows-${theme}`);

      await page.goto('/usage');
      await expect(page.getByTestId('daily-run')).toBeVisible();
      await shot(page, `usage-${theme}`);

      const other = (await api.createRun({ workflowId: seeded.workflows.quick, inputs: { name: 'Grace' } })).runId;
      await runUntil(api, other, (r) => r.status === 'succeeded');
      await page.goto(`/runs/compare?a=${seeded.succeeded.id}&b=${other}`);
      await expect(page.getByTestId('compare-greet')).toBeVisible();
      await shot(page, `compare-${theme}`);
    });

    test(`secrets, API keys, webhooks and schedules (${theme})`, async ({ page, api, seeded }, info) => {
      const tag = `${theme.toUpperCase()}_${info.testId.slice(0, 4).toUpperCase().replace(/[^A-Z0-9]/g, 'X')}`;
      await api.createSecret({ name: `STRIPE_KEY_${tag}`, value: 'sk_test_not_a_real_key', description: 'Stripe, test mode' }).catch(() => undefined);
      await api.createApiKey({ name: `Deploy bot ${theme}`, role: 'operator' });
      const hook = await api.createWebhook(seeded.workflows.quick, { verification: { scheme: 'standard-webhooks' } });
      await api.sendWebhookTestEvent(hook.id);
      await api.createSchedule(seeded.workflows.quick, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', inputs: { name: 'Ada' } });

      await page.goto('/secrets');
      await expect(page.getByTestId('secret-row').first()).toBeVisible();
      await shot(page, `secrets-${theme}`);

      await page.goto('/api-keys');
      await page.locator('summary', { hasText: 'New API key' }).click();
      await page.getByTestId('api-key-name').fill(`CI ${theme}`);
      await page.getByTestId('api-key-create').click();
      await expect(page.getByTestId('created-key')).toBeVisible();
      await shot(page, `api-keys-${theme}`);

      await page.goto('/webhooks');
      const row = page.locator(`[data-testid="webhook-row"][data-workflow="${seeded.workflows.quick}"]`).first();
      await row.getByTestId('webhook-open').click();
      await expect(row.getByTestId('delivery-row').first()).toBeVisible();
      await shot(page, `webhooks-${theme}`);

      await page.goto('/schedules');
      await page.locator('summary', { hasText: 'New schedule' }).click();
      await page.getByTestId('schedule-workflow').selectOption(seeded.workflows.quick);
      await page.getByTestId('schedule-timezone').fill('America/New_York');
      await expect(page.getByTestId('cron-fire')).toHaveCount(5);
      await shot(page, `schedules-${theme}`);

      await page.goto(`/runs/${seeded.failed.id}`);
      const replay = page.getByTestId('replay-from-node');
      await replay.locator('summary').click();
      await replay.getByTestId('replay-node').selectOption('out');
      await replay.getByTestId('replay-input').fill('{\n  "call": { "status": 200 }\n}');
      await replay.scrollIntoViewIfNeeded();
      await shot(page, `replay-${theme}`);
    });
  });
}
