import { STARTERS } from '../src/lib/starters';
import { expect, node, openWorkflow, test } from './support/fixtures';

test('a run waiting for approval is approved from the canvas', async ({ page, api }) => {
  const starter = STARTERS.find((s) => s.key === 'approval')!;
  const wf = await api.createWorkflow({ name: 'Refunds', definition: starter.definition });
  await openWorkflow(page, wf.id);

  const live = page.waitForRequest((r) => r.url().includes('/api/live/'));
  await page.getByTestId('run').click();
  await page.locator('#inputs-amount').fill('40');
  await page.locator('#inputs-reason').fill('Damaged parcel');
  await page.getByTestId('start-run').click();

  // The canvas follows the run through the live stream (the gateway's WebSocket, relayed as SSE).
  await live;
  await expect(node(page, 'approve').locator('.wf-node')).toHaveAttribute('data-status', 'waiting');
  const prompt = page.getByTestId('run-bar').locator('..').getByTestId('approval-prompt');
  await expect(prompt).toContainText('Refund 40 EUR (Damaged parcel)?');
  await prompt.getByTestId('approve').click();

  await expect(node(page, 'refund').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'decline').locator('.wf-node')).toHaveAttribute('data-status', 'skipped');
  await expect(node(page, 'approve').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
  await expect(page.getByTestId('approval-prompt')).toHaveCount(0);
});
