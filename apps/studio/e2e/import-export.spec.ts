import { readFile } from 'node:fs/promises';
import { withoutPositions } from '../src/lib/graph';
import { QUICK_STARTERS, STARTERS } from '../src/lib/starters';
import { expect, nodeCount, openWorkflow, savedDraft, test } from './support/fixtures';

// The starters without credentials (the graph round trip of all twenty is in src/lib/graph.test.ts).
for (const starter of QUICK_STARTERS) {
  test(`the "${starter.name}" starter survives an import/export round trip`, async ({ page, api }) => {
    const wf = await api.createWorkflow({ name: `Round trip ${starter.key}` });
    await openWorkflow(page, wf.id);
    const text = JSON.stringify(starter.definition, null, 2);
    await page.getByTestId('import-input').setInputFiles({ name: `${starter.key}.json`, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('toast-success')).toContainText(`Imported ${starter.definition.nodes.length} nodes`);
    expect(await nodeCount(page)).toBe(starter.definition.nodes.length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toBe(`round-trip-${starter.key}.weft.json`);
    const exported: unknown = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(withoutPositions(exported)).toEqual(withoutPositions(starter.definition));
    // The draft saved on the server is the same workflow too.
    expect(withoutPositions(await savedDraft(page, api, wf.id))).toEqual(withoutPositions(starter.definition));
  });
}

test('a workflow file dropped onto the canvas is imported', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Dropped' });
  await openWorkflow(page, wf.id);
  const text = JSON.stringify(STARTERS[1]!.definition);
  const data = await page.evaluateHandle((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'route.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.getByTestId('canvas').dispatchEvent('dragover', { dataTransfer: data });
  await page.getByTestId('canvas').dispatchEvent('drop', { dataTransfer: data });
  await expect(page.getByTestId('toast-success')).toContainText('Imported 5 nodes from route.json');
  expect(await nodeCount(page)).toBe(5);
});
