import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';

test('a waiting approval is approved from the inbox and the run takes the approved path', async ({ page, api, seeded }) => {
  await page.goto('/approvals');
  const { reason } = seeded.waiting.inputs as { reason: string };
  const card = page.getByTestId('approval-card').filter({ hasText: `Refund 40 EUR (${reason})?` });
  await expect(card).toHaveCount(1);
  await card.getByTestId('approve').click();
  await expect(page.getByTestId('inbox-notice')).toContainText('Approved');
  await expect(card).toHaveCount(0);
  const run = await runUntil(api, seeded.waiting.id, (r) => r.status === 'succeeded');
  expect(run.steps.find((s) => s.nodeId === 'refund')?.status).toBe('succeeded');
});

test('a waiting approval is rejected from the run page, which follows the run live', async ({ page, seeded }) => {
  await page.goto(`/runs/${seeded.waiting.id}`);
  await expect(page.locator('.react-flow__node[data-id="approve"]')).toHaveClass(/graph-waiting/);
  await page.getByTestId('approval-card').getByTestId('reject').click();
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');
  await expect(page.getByTestId('step-decline')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('step-refund')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('approval-card')).toHaveCount(0);
});

test('the home page lists the waiting approvals from one call (no read per waiting run) and opens the run', async ({ page, seeded }) => {
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/weft/v1/')) calls.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  const { reason } = seeded.waiting.inputs as { reason: string };
  const link = page.locator('section[aria-labelledby="approvals"]').getByRole('link', { name: `Refund 40 EUR (${reason})?` });
  await expect(link).toBeVisible();
  expect(calls).toContain('/api/weft/v1/approvals');
  expect(calls.filter((p) => /^\/api\/weft\/v1\/runs\/[0-9a-f-]{36}$/.test(p))).toEqual([]);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${seeded.waiting.id}$`));
});
