import { loopOver, loopOverCalls, runLoop } from './support/loops';
import { expect, node, openWorkflow, test } from './support/fixtures';

// Several runs and page loads each: given the time of a loaded 2-core machine (no timing is asserted).
test.slow();

test("a for_each's items show on the loop and its body: counts by status, and any item opened on the body nodes", async ({ page, api, echoUrl }) => {
  const wf = await api.createWorkflow({ name: 'Loop over calls', definition: loopOverCalls(echoUrl) });
  await openWorkflow(page, wf.id);
  await runLoop(page);
  await expect(node(page, 'each').getByTestId('loop-items')).toHaveText('3/3 items');

  // A body node is not "not reached": it says it runs per item and lists the items.
  await node(page, 'each.call').click();
  await expect(page.getByTestId('step-detail')).not.toContainText('Not reached in this run');
  await expect(page.getByTestId('body-node-hint')).toContainText('once per item');
  await expect(page.getByTestId('iteration-counts')).toContainText('3 items:');
  await expect(page.getByTestId('iteration-counts')).toContainText('3 succeeded');

  // Opening item 1 puts its steps on the body nodes; the selected node shows its step in that item.
  await page.getByTestId('iteration-1').click();
  await expect(page.getByTestId('iteration-1')).toHaveAttribute('aria-pressed', 'true');
  await expect(node(page, 'each.call').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'each.start').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('step-item')).toHaveText('Item 1 of each');
  await expect(page.getByTestId('step-output')).toContainText('"n": "2"');

  // Another item, then closing it: the body nodes go back to no status.
  await node(page, 'each').click({ position: { x: 60, y: 20 } });
  await page.getByTestId('iteration-2').click();
  await node(page, 'each.call').click();
  await expect(page.getByTestId('step-output')).toContainText('"n": "3"');
  await node(page, 'each').click({ position: { x: 60, y: 20 } });
  await page.getByTestId('iteration-2').click();
  await expect(node(page, 'each.call').locator('.wf-node')).toHaveAttribute('data-status', 'none');
});

test('a loop whose pure body ran in place says so instead of "not reached"', async ({ page, api }) => {
  const wf = await api.createWorkflow({
    name: 'Pure loop',
    // Only pure nodes in the body: it runs in place, no iteration runs.
    definition: loopOver({ id: 'double', type: 'transform', config: { expression: 'item' } }),
  });
  await openWorkflow(page, wf.id);
  await runLoop(page);
  await expect(node(page, 'each').getByTestId('loop-items')).toHaveText('3/3 items');
  await node(page, 'each.double').click();
  await expect(page.getByTestId('iterations-in-place')).toContainText('ran in place for 3 items');
  await expect(page.getByTestId('step-detail')).not.toContainText('Not reached in this run');
});
