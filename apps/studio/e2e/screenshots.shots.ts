import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { STARTERS } from '../src/lib/starters';
import { expect, node, openWorkflow, test } from './support/fixtures';

// The screens shown in the README, light and dark: `pnpm --filter @weft/studio screenshots`.
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');
const LOOP = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: { inputSchema: { type: 'object', properties: { users: { type: 'array' } } } }, position: { x: 0, y: 60 } },
    {
      id: 'each_user',
      type: 'for_each',
      name: 'Every user',
      position: { x: 300, y: 0 },
      config: {
        items: 'input.users',
        concurrency: 5,
        body: {
          nodes: [
            { id: 'start', type: 'trigger', config: {}, position: { x: 24, y: 64 } },
            { id: 'greet', type: 'transform', config: { expression: "join(' ', ['Hello', item.name])" }, position: { x: 304, y: 64 } },
          ],
          edges: [{ source: 'start', target: 'greet' }],
        },
      },
    },
    { id: 'count', type: 'transform', config: { expression: 'length(steps.each_user.output)' }, position: { x: 920, y: 60 } },
  ],
  edges: [
    { source: 'trigger', target: 'each_user' },
    { source: 'each_user', target: 'count' },
  ],
};
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`) });

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test(`main screens (${theme})`, async ({ page, api, echoUrl }) => {
      const wfs = [];
      for (const s of STARTERS) wfs.push(await api.createWorkflow({ name: `${s.name} (${theme})`, description: s.description, definition: s.definition }));
      await page.goto('/');
      await expect(page.getByTestId('workflow-list')).toBeVisible();
      await shot(page, `workflows-${theme}`);

      // Editor with a node selected: the generated form with completion.
      await openWorkflow(page, wfs[0]!.id);
      await node(page, 'shape').click();
      const expr = page.locator('[data-field="expression"] input');
      await expr.fill('');
      await expr.pressSequentially('steps.fetch.output.');
      await expect(page.getByTestId('completion-list')).toBeVisible();
      await shot(page, `editor-${theme}`);
      await page.keyboard.press('Escape');
      await expr.fill('{ status: steps.fetch.output.status, names: steps.fetch.output.body.items[].name }');

      // A finished run: every node green, the step's output on the right.
      await page.getByTestId('run').click();
      await page.locator('#inputs-url').fill(`${echoUrl}/items`);
      await page.getByTestId('start-run').click();
      await expect(node(page, 'shape').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
      await node(page, 'fetch').click();
      await page.getByTestId('tab-run').click();
      await page.mouse.move(0, 0);
      await shot(page, `run-${theme}`);

      // A run waiting for approval.
      await openWorkflow(page, wfs[2]!.id);
      await page.getByTestId('run').click();
      await page.locator('#inputs-amount').fill('40');
      await page.locator('#inputs-reason').fill('Damaged parcel');
      await page.getByTestId('start-run').click();
      await expect(page.getByTestId('approval-prompt').first()).toBeVisible();
      await node(page, 'approve').click();
      await page.getByTestId('tab-run').click();
      await shot(page, `approval-${theme}`);

      // A for_each node: its body drawn inside the group.
      const loop = await api.createWorkflow({ name: `Greet every user (${theme})`, definition: LOOP });
      await openWorkflow(page, loop.id);
      await node(page, 'each_user').click({ position: { x: 60, y: 20 } });
      await shot(page, `for-each-${theme}`);

      await page.keyboard.press('Escape');
      await page.keyboard.press('?');
      await expect(page.getByTestId('help-dialog')).toBeVisible();
      await shot(page, `shortcuts-${theme}`);
    });
  });
}
