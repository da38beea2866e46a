import { expect, node, openWorkflow, savedDraft, test } from './support/fixtures';

// Several runs and page loads each: given the time of a loaded 2-core machine (no timing is asserted).
test.slow();

test('Ctrl+Enter in the palette search only adds the node, and nodes added from the keyboard follow the selected one, connected', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Keyboard adds', definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } }], edges: [] } });
  await openWorkflow(page, wf.id);
  await node(page, 'trigger').click();

  await page.keyboard.press('n');
  await expect(page.locator('#palette-search')).toBeFocused();
  await page.keyboard.type('transform');
  await page.keyboard.press('Control+Enter');
  await expect(node(page, 'transform')).toBeVisible();
  // No run started: no run dialog, no run banner, the Run tab still disabled.
  await expect(page.getByTestId('start-run')).toHaveCount(0);
  await expect(page.getByTestId('run-bar')).toHaveCount(0);
  await expect(page.getByTestId('tab-run')).toBeDisabled();

  // Enter again: the next node goes after the one just added (it is selected now).
  await page.locator('#palette-search').fill('delay');
  await page.keyboard.press('Enter');
  await expect(node(page, 'delay')).toBeVisible();

  const draft = (await savedDraft(page, api, wf.id)) as { nodes: { id: string; position: { x: number; y: number } }[]; edges: { source: string; target: string }[] };
  expect(draft.edges).toEqual([
    expect.objectContaining({ source: 'trigger', target: 'transform' }),
    expect.objectContaining({ source: 'transform', target: 'delay' }),
  ]);
  // Placed beside each other, left to right, not piled up.
  const at = Object.fromEntries(draft.nodes.map((n) => [n.id, n.position]));
  expect(at.transform!.x).toBeGreaterThan(at.trigger!.x);
  expect(at.delay!.x).toBeGreaterThan(at.transform!.x);
  expect(at.delay!.y).toBe(at.transform!.y);
  expect((await api.listRuns({ workflowId: wf.id })).items).toHaveLength(0);
});

test('a keyboard user connects two nodes through their labelled handles', async ({ page, api }) => {
  const wf = await api.createWorkflow({
    name: 'Keyboard connects',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
        { id: 'shape', type: 'transform', config: { expression: 'input' }, position: { x: 320, y: 0 } },
      ],
      edges: [],
    },
  });
  await openWorkflow(page, wf.id);
  const output = page.getByRole('button', { name: 'Output of trigger' });
  const input = page.getByRole('button', { name: 'Input of shape' });
  await expect(output).toHaveAttribute('tabindex', '0');
  await output.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-hint')).toContainText('Connecting from Output of trigger');
  await input.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-hint')).toContainText('Connected Output of trigger to shape');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  const draft = (await savedDraft(page, api, wf.id)) as { edges: object[] };
  expect(draft.edges).toEqual([expect.objectContaining({ source: 'trigger', target: 'shape' })]);

  // Escape cancels a connection started by mistake.
  await output.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('connect-hint')).toContainText('Connecting cancelled');
});

test('the editor has a main landmark, and the two Add buttons of an HTTP request have distinct names', async ({ page, api, echoUrl }) => {
  const wf = await api.createWorkflow({
    name: 'Landmarks',
    definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'fetch', type: 'http_request', config: { url: `${echoUrl}/items` } }], edges: [{ source: 'trigger', target: 'fetch' }] },
  });
  await openWorkflow(page, wf.id);
  await expect(page.getByRole('main')).toHaveCount(1);
  await node(page, 'fetch').click();
  await expect(page.getByRole('button', { name: 'Add', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add headers' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Add query' })).toHaveCount(1);
});
