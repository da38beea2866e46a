import { connect, expect, node, openWorkflow, savedDraft, test } from './support/fixtures';

test('nodes that can fail draw a red error output; an edge drawn from it and continueOnFail are saved', async ({ page, api, echoUrl }) => {
  const wf = await api.createWorkflow({
    name: 'Error paths',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 80 } },
        { id: 'fetch', type: 'http_request', config: { url: `${echoUrl}/status/500` }, position: { x: 300, y: 80 } },
        { id: 'use', type: 'transform', config: { expression: 'steps.fetch.output.body' }, position: { x: 600, y: 0 } },
        { id: 'report', type: 'transform', config: { expression: 'steps.fetch.output.message' }, position: { x: 600, y: 240 } },
        { id: 'ask', type: 'wait_for_approval', config: { prompt: 'ok?' }, position: { x: 900, y: 0 } },
      ],
      edges: [
        { source: 'trigger', target: 'fetch' },
        { source: 'fetch', target: 'use' },
        { source: 'use', target: 'ask' },
      ],
    },
  });
  await openWorkflow(page, wf.id);

  // The catalog says which types have it: not the trigger, not an approval (its path is `rejected`).
  await expect(page.getByTestId('handle-fetch-error')).toBeVisible();
  await expect(page.getByTestId('handle-use-error')).toBeVisible();
  await expect(page.getByTestId('handle-trigger-error')).toHaveCount(0);
  await expect(page.getByTestId('handle-ask-error')).toHaveCount(0);
  // Drawn in the theme's danger colour, unlike the plain output.
  const [errorColour, plainColour] = await Promise.all([
    page.getByTestId('handle-fetch-error').evaluate((el) => getComputedStyle(el).borderTopColor),
    node(page, 'fetch').locator('.react-flow__handle.source:not([data-handleid="error"])').evaluate((el) => getComputedStyle(el).borderTopColor),
  ]);
  expect(errorColour).not.toBe(plainColour);

  await connect(page, 'fetch', 'report', 'error');
  await expect(page.locator('.react-flow__edge-path.wf-edge-error')).toHaveCount(1);

  await node(page, 'use').click();
  await page.locator('details.advanced summary').click();
  await page.locator('[data-field="continueOnFail"] input[type="checkbox"]').check();

  const draft = (await savedDraft(page, api, wf.id)) as { nodes: { id: string; config: object }[]; edges: object[] };
  expect(draft.edges).toContainEqual(expect.objectContaining({ source: 'fetch', target: 'report', sourceHandle: 'error' }));
  expect(draft.nodes.find((n) => n.id === 'use')).toMatchObject({ config: { continueOnFail: true } });
  // What the studio drew is what the server accepts.
  await api.publishVersion(wf.id);
});

test('the trigger has no error output, and the workflow settings pick the error workflow', async ({ page, api }) => {
  const handler = await api.createWorkflow({ name: 'On failure' });
  const wf = await api.createWorkflow({ name: 'Settings' });
  await openWorkflow(page, wf.id);
  await expect(page.getByTestId('handle-trigger-error')).toHaveCount(0);
  await page.locator('[data-field="errorWorkflowId"] select').selectOption({ label: 'On failure' });
  const draft = (await savedDraft(page, api, wf.id)) as { settings?: object };
  expect(draft.settings).toMatchObject({ errorWorkflowId: handler.id });
});
