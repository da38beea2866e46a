import { readFile } from 'node:fs/promises';
import { withoutPositions } from '../src/lib/graph';
import { STARTERS } from '../src/lib/starters';
import { expect, node, nodeCount, openWorkflow, test } from './support/fixtures';

test('keyboard shortcuts duplicate, delete, copy, paste, undo and redo', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Shortcuts', definition: STARTERS[1]!.definition });
  await openWorkflow(page, wf.id);
  await node(page, 'review').click();
  await page.keyboard.press('Control+d');
  await expect(node(page, 'review_2')).toBeVisible();
  expect(await nodeCount(page)).toBe(6);
  await page.keyboard.press('Delete');
  await expect(node(page, 'review_2')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(node(page, 'review_2')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, 'review_2')).toHaveCount(0);

  await node(page, 'summary').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'summary_2')).toBeVisible();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  expect(await nodeCount(page)).toBe(0);
  await page.keyboard.press('Control+z');
  expect(await nodeCount(page)).toBe(6);

  await page.keyboard.press('?');
  const help = page.getByTestId('help-dialog');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Duplicate the selection');
  await expect(help).toContainText('Auto-layout');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the context menu adds a node where it was opened, and the theme switches', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Menus' });
  await openWorkflow(page, wf.id);
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + 120, { button: 'right' });
  await page.getByTestId('context-menu').getByTestId('menu-add-branch').click();
  await expect(node(page, 'branch')).toBeVisible();
  await expect(node(page, 'branch').locator('.react-flow__handle.source:not([data-handleid="error"])')).toHaveCount(2);
  await expect(node(page, 'branch')).toContainText('true');
  await expect(node(page, 'branch')).toContainText('false');

  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme === 'dark' ? 'light' : 'dark');
});

test('a for_each body is drawn inside its group and exported unchanged', async ({ page, api }) => {
  const definition = {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 40 } },
      {
        id: 'each_user',
        type: 'for_each',
        position: { x: 320, y: 0 },
        config: {
          items: 'input.users',
          concurrency: 5,
          body: {
            nodes: [
              { id: 'start', type: 'trigger', config: {}, position: { x: 24, y: 64 } },
              { id: 'greet', type: 'transform', config: { expression: "join(' ', ['hi', item.name])" }, position: { x: 300, y: 64 } },
            ],
            edges: [{ source: 'start', target: 'greet' }],
          },
        },
      },
    ],
    edges: [{ source: 'trigger', target: 'each_user' }],
  };
  const wf = await api.createWorkflow({ name: 'Loop', definition });
  await openWorkflow(page, wf.id);
  const group = (await node(page, 'each_user').boundingBox())!;
  const inner = (await node(page, 'each_user.greet').boundingBox())!;
  expect(inner.x).toBeGreaterThan(group.x);
  expect(inner.x + inner.width).toBeLessThanOrEqual(group.x + group.width + 1);
  expect(inner.y + inner.height).toBeLessThanOrEqual(group.y + group.height + 1);
  await expect(node(page, 'each_user')).toContainText('for each in input.users');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(withoutPositions(JSON.parse(await readFile((await download.path())!, 'utf8')))).toEqual(withoutPositions(definition));
});

test('the secret picker inserts a secret by name and completion offers it afterwards', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Secrets', definition: STARTERS[0]!.definition });
  await openWorkflow(page, wf.id);
  await node(page, 'fetch').click();
  const url = page.locator('[data-field="url"] input[role="combobox"]');
  await url.fill('https://api.example.com/items?key=');
  await api.createSecret({ name: 'API_KEY', value: 'an-api-key-for-the-picker' });
  await page.locator('[data-field="url"]').getByRole('button', { name: 'Insert a secret' }).click();
  await page.getByRole('textbox', { name: 'Find a secret' }).fill('api_key');
  await page.getByTestId('org-secrets').getByRole('button', { name: /^API_KEY( |$)/ }).click();
  await expect(url).toHaveValue('https://api.example.com/items?key={{ secrets.API_KEY }}');

  // Completion inside {{ }} now offers it too (in templates only, never in expressions).
  const header = page.locator('[data-field="headers"]').getByRole('combobox', { name: 'Value' });
  await header.fill('');
  await header.pressSequentially('Bearer {{ sec');
  await page.getByRole('option', { name: /secrets\.API_KEY/ }).click();
  await expect(header).toHaveValue('Bearer {{ secrets.API_KEY }}');
  await node(page, 'shape').click();
  const expression = page.locator('[data-field="expression"] input');
  await expression.fill('');
  await expression.pressSequentially('secr');
  await expect(page.getByTestId('completion-list')).toHaveCount(0);
});
