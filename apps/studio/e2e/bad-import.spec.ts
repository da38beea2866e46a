import { STARTERS } from '../src/lib/starters';
import { expect, nodeCount, openWorkflow, test } from './support/fixtures';

const BAD_FILES = [
  { name: 'not-json.json', text: '{ "nodes": [', error: 'not valid JSON' },
  { name: 'not-a-workflow.json', text: JSON.stringify({ hello: 'world' }), error: 'not a Weft workflow' },
  {
    name: 'cycle.json',
    text: JSON.stringify({
      nodes: [
        { id: 'trigger', type: 'trigger', config: {} },
        { id: 'a', type: 'transform', config: { expression: 'input' } },
        { id: 'b', type: 'mystery', config: {} },
      ],
      edges: [
        { source: 'trigger', target: 'a' },
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ],
    }),
    error: 'has problems',
  },
];

test('a bad import shows why and changes nothing', async ({ page, api }) => {
  const starter = STARTERS[1]!;
  const wf = await api.createWorkflow({ name: 'Keep me', definition: starter.definition });
  await openWorkflow(page, wf.id);
  const before = (await api.getWorkflow(wf.id)).draft;
  expect(await nodeCount(page)).toBe(5);

  for (const bad of BAD_FILES) {
    await page.getByTestId('import-input').setInputFiles({ name: bad.name, mimeType: 'application/json', buffer: Buffer.from(bad.text) });
    const dialog = page.getByTestId('import-error');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(bad.error);
    await expect(dialog).toContainText('Nothing was changed');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    expect(await nodeCount(page)).toBe(5);
  }
  await expect(page.getByTestId('import-error')).toBeHidden();
  // The unknown type and the cycle were named in the last dialog; nothing reached the server.
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  expect((await api.getWorkflow(wf.id)).draft).toEqual(before);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});
