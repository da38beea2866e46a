import type { Page } from '@playwright/test';
import { expect, openWorkflow, test } from './support/fixtures';

/** React Flow's pan and zoom, read from the viewport's transform. */
async function viewport(page: Page) {
  const t = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const m = /translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)\s*scale\(([\d.e-]+)\)/.exec(t);
  if (!m) throw new Error(`no transform in "${t}"`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}

const definition = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
    { id: 'far_right', type: 'transform', config: { expression: 'input' }, position: { x: 3000, y: 0 } },
    { id: 'far_down', type: 'transform', config: { expression: 'input' }, position: { x: 0, y: 2000 } },
  ],
  edges: [
    { source: 'trigger', target: 'far_right' },
    { source: 'trigger', target: 'far_down' },
  ],
};

test('the minimap pans the canvas by dragging, centres it on a click and zooms it with the wheel', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Minimap', definition });
  await openWorkflow(page, wf.id);
  const minimap = page.getByTestId('minimap');
  await expect(minimap).toBeVisible();
  const box = (await minimap.boundingBox())!;
  const view = (await page.getByTestId('minimap-view').boundingBox())!;

  // Drag the view rectangle 30 px right: the canvas moves left under a still zoom.
  const before = await viewport(page);
  const from = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y, { steps: 6 });
  await page.mouse.up();
  const dragged = await viewport(page);
  expect(dragged.x).toBeLessThan(before.x - 30);
  expect(dragged.y).toBeCloseTo(before.y, 0);
  expect(dragged.zoom).toBe(before.zoom);
  // (the minimap may rescale when the view leaves what it shows, so the rectangle moves less)
  const moved = (await page.getByTestId('minimap-view').boundingBox())!;
  expect(moved.x).toBeGreaterThan(view.x + 5);

  // Click near the top left corner: the view centres there (it moves right and down).
  await minimap.click({ position: { x: 12, y: 12 } });
  await expect.poll(async () => (await viewport(page)).x).toBeGreaterThan(dragged.x + 30);
  expect((await viewport(page)).y).toBeGreaterThan(dragged.y);

  // Wheel up over the minimap: zoom in.
  const zoom = (await viewport(page)).zoom;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await expect.poll(async () => (await viewport(page)).zoom).toBeGreaterThan(zoom);

  // M hides it.
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('m');
  await expect(minimap).toHaveCount(0);
});
