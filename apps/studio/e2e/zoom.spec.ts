import { STARTERS } from '../src/lib/starters';
import { connect, expect, node, openWorkflow, test } from './support/fixtures';

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

test('a big workflow opens far out with its edges on the handles, and connects once zoomed in', async ({ page, api }) => {
  // Wide enough to open far out, where the handles are inert markers React Flow measures (editor/nodes/NodeHandle.tsx).
  const nodes = Array.from({ length: 40 }, (_, i) =>
    i ? { id: `t${i}`, type: 'transform', config: { expression: 'input' }, position: { x: i * 300, y: (i % 3) * 120 } } : { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
  );
  const edges = nodes.slice(1).map((n, i) => ({ source: nodes[i]!.id, target: n.id }));
  const wf = await api.createWorkflow({ name: 'Wide', definition: { nodes, edges } });
  await openWorkflow(page, wf.id);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveClass(/is-far/);
  await expect(page.locator('.react-flow__edge')).toHaveCount(39);

  const at = (await node(page, 't20').boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  for (let i = 0; i < 8 && (await canvas.getAttribute('class'))?.includes('is-far'); i++) await page.mouse.wheel(0, -300);
  await expect(canvas).not.toHaveClass(/is-far/);
  await expect(node(page, 't20').locator('.wf-node-title')).toBeVisible();

  // The edge still leaves from the (now real) output handle, at its right side: its ends were measured from the markers.
  const gap = await page.evaluate(() => {
    const [, tx, ty, z] = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!.map(Number);
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const h = document.querySelector('.react-flow__node[data-id="t20"] .react-flow__handle.source')!.getBoundingClientRect();
    const handle = { x: (h.right - pane.x - tx!) / z!, y: (h.y + h.height / 2 - pane.y - ty!) / z! };
    const start = document.querySelector<SVGPathElement>('.react-flow__edge[data-id="e:t20->t21"] path')!.getPointAtLength(0);
    return Math.hypot(start.x - handle.x, start.y - handle.y);
  });
  expect(gap).toBeLessThan(1);

  await connect(page, 't20', 't22');
  await expect(page.locator('.react-flow__edge')).toHaveCount(40);
});
