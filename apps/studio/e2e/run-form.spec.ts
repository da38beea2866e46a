import { expect, openWorkflow, test } from './support/fixtures';

// A template from someone else may carry a pattern written to backtrack: the Run form checks it in
// RE2 (its own chunk, under the studio's CSP), so 50 characters are refused at once. With the
// browser's engine the tab would freeze for hours and this test would time out.
test('the Run form checks a pattern written to backtrack at once and keeps answering', async ({ page, api }) => {
  const wf = await api.createWorkflow({
    name: 'Shared template',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['s'], properties: { s: { type: 'string', pattern: '^(x+x+)+y$' } } } } },
        { id: 'echo', type: 'transform', position: { x: 300, y: 0 }, config: { expression: 'input.s' } },
      ],
      edges: [{ source: 'trigger', target: 'echo' }],
    },
  });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  const field = page.locator('#inputs-s');
  await field.fill('x'.repeat(50));
  await expect(page.getByTestId('error-s')).toHaveText('Must match ^(x+x+)+y$');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await field.fill(`${'x'.repeat(50)}y`);
  await expect(page.getByTestId('error-s')).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeEnabled();
});
