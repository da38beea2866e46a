import { connect, dragFromPalette, expect, node, openWorkflow, savedDraft, test } from './support/fixtures';

test('a 3-node workflow built by drag and drop, configured with the form, runs with every node green', async ({ page, api, echoUrl }) => {
  const wf = await api.createWorkflow({ name: 'Built by hand' });
  await openWorkflow(page, wf.id);
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };

  // The new workflow's trigger sits in the middle of the view; the two nodes go to its right.
  await dragFromPalette(page, 'http_request', { x: centre.x + 250, y: centre.y - 110 });
  await expect(node(page, 'http_request')).toBeVisible();
  await dragFromPalette(page, 'transform', { x: centre.x + 250, y: centre.y + 110 });
  await expect(node(page, 'transform')).toBeVisible();
  await connect(page, 'trigger', 'http_request');
  await connect(page, 'http_request', 'transform');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // The form says what is missing, inline, and the node shows it too; filling it in clears both.
  await node(page, 'http_request').click();
  await expect(page.getByTestId('error-url')).toHaveText('Required');
  await expect(node(page, 'http_request').getByTestId('node-problem')).toBeVisible();
  await page.locator('[data-field="url"] input').fill(`${echoUrl}/items`);
  await expect(page.getByTestId('error-url')).toHaveCount(0);
  await expect(node(page, 'http_request').getByTestId('node-problem')).toHaveCount(0);

  // The expression field completes the upstream step's output fields (from the catalog's output schema).
  await node(page, 'transform').click();
  await expect(page.getByTestId('error-expression')).toHaveText('Required');
  const expression = page.locator('[data-field="expression"] input');
  await expression.pressSequentially('steps.http');
  await expect(page.getByTestId('completion-list')).toBeVisible();
  await page.getByRole('option', { name: /steps\.http_request\.output\.body/ }).click();
  await expect(expression).toHaveValue('steps.http_request.output.body');
  await expression.pressSequentially('.items[].name');
  await expect(page.getByTestId('error-expression')).toHaveCount(0);

  const draft = await savedDraft(page, api, wf.id);
  expect(draft).toMatchObject({
    nodes: [
      { id: 'trigger', type: 'trigger' },
      { id: 'http_request', type: 'http_request', config: { method: 'GET', url: `${echoUrl}/items` } },
      { id: 'transform', type: 'transform', config: { expression: 'steps.http_request.output.body.items[].name' } },
    ],
    edges: [
      { source: 'trigger', target: 'http_request' },
      { source: 'http_request', target: 'transform' },
    ],
  });

  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  for (const id of ['trigger', 'http_request', 'transform']) await expect(node(page, id).locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');

  await node(page, 'transform').click();
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('step-output')).toContainText('"grace"');
  await node(page, 'http_request').click();
  await expect(page.getByTestId('step-output')).toContainText('"status": 200');
  await expect(page.getByTestId('step-attempts')).toHaveText('1');
});

test('publishing an invalid workflow puts each error on its node', async ({ page, api }) => {
  const wf = await api.createWorkflow({
    name: 'Broken',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
        { id: 'shape', type: 'transform', config: { expression: 'items[' }, position: { x: 320, y: 0 } },
      ],
      edges: [{ source: 'trigger', target: 'shape' }],
    },
  });
  await openWorkflow(page, wf.id);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast-error')).toContainText('Not published');
  await expect(node(page, 'shape').getByTestId('node-problem')).toHaveText('1');
  await node(page, 'shape').click();
  await expect(page.getByTestId('error-expression')).toContainText('invalid JMESPath');
  await page.locator('[data-field="expression"] input').fill('items[0]');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('toast-success')).toContainText('Published version 1');
  await expect(node(page, 'shape').getByTestId('node-problem')).toHaveCount(0);
});
