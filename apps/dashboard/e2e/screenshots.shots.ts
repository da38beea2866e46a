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

      const other = (await api.createRun({ workflowId: seeded.workflows.quick, inputs: { name: 'Grace' } })).runId;
      await runUntil(api, other, (r) => r.status === 'succeeded');
      await page.goto(`/runs/compare?a=${seeded.succeeded.id}&b=${other}`);
      await expect(page.getByTestId('compare-greet')).toBeVisible();
      await shot(page, `compare-${theme}`);
    });
  });
}
