import { STARTERS } from '../src/lib/starters';
import { expect, node, openWorkflow, test } from './support/fixtures';

test('zoomed far out the nodes are drawn as boxes, and get their labels back closer in', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Zoom', definition: STARTERS[1]!.definition });
  await openWorkflow(page, wf.id);
  const canvas = page.getByTestId('canvas');
  await expect(node(page, 'review').locator('.wf-node-title')).toBeVisible();

  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 300);
  await expect(canvas).toHaveClass(/is-far/);
  await expect(page.locator('.wf-node-title')).toHaveCount(0);
  await expect(node(page, 'review').locator('.wf-node')).toHaveAttribute('title', /review/i);

  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -300);
  await expect(canvas).not.toHaveClass(/is-far/);
  await expect(node(page, 'review').locator('.wf-node-title')).toBeVisible();
  // After a zoom the moving layer is dropped for a frame (rastered anew at the new zoom), then back.
  await expect.poll(() => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).willChange)).toBe('transform');
});
