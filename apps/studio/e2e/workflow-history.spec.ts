import { STARTERS } from '../src/lib/starters';
import type { Page } from '@playwright/test';
import { expect, node, test } from './support/fixtures';

/** openWorkflow with room for a machine shared by many builds (the editor's first load can take a while there). */
async function openWorkflow(page: Page, id: string) {
  await page.goto(`/workflows/${id}`);
  await expect(page.getByTestId('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('save-state')).toHaveText(/Saved/, { timeout: 30_000 });
}

// Each test opens the editor more than once, on a machine that may be busy: three times the usual time.
test.beforeEach(() => test.slow());

const quick = (expression: string) => ({
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'greet', type: 'transform', position: { x: 300, y: 0 }, config: { expression } },
  ],
  edges: [{ source: 'trigger', target: 'greet' }],
});

test('Run from the canvas is a test run of the draft: it runs, and no version is published', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: `Test run ${crypto.randomUUID().slice(0, 6)}`, definition: quick("'hello'") });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
  await expect(node(page, 'greet').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
  expect((await api.getWorkflow(wf.id)).latestVersion).toBeNull();
  expect((await api.listVersions(wf.id)).items).toEqual([]);
  const runs = await api.listRuns({ workflowId: wf.id });
  expect(runs.items).toHaveLength(1);
  expect(runs.items[0]).toMatchObject({ test: true, triggerType: 'manual' });
});

test('after a reload, a run waiting for approval is back on the canvas and is approved from it; History lists and reopens runs', async ({ page, api }) => {
  const starter = STARTERS.find((s) => s.key === 'approval')!;
  const wf = await api.createWorkflow({ name: 'Refunds after reload', definition: starter.definition });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  await page.locator('#inputs-amount').fill('25');
  await page.locator('#inputs-reason').fill('Wrong size');
  await page.getByTestId('start-run').click();
  await expect(node(page, 'approve').locator('.wf-node')).toHaveAttribute('data-status', 'waiting');

  await page.reload();
  await expect(page.getByTestId('canvas')).toBeVisible({ timeout: 60_000 });
  const prompt = page.getByTestId('run-bar').locator('..').getByTestId('approval-prompt');
  await expect(prompt).toContainText('Refund 25 EUR (Wrong size)?');
  await expect(page.getByTestId('tab-run')).toBeEnabled();
  await prompt.getByTestId('approve').click();
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');

  // Back to editing, then the run is reopened from the History dialog.
  await page.getByTestId('run-bar').getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByTestId('run-bar')).toHaveCount(0);
  await page.getByTestId('history').click();
  const runs = page.getByTestId('history-dialog').getByTestId('recent-run');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('succeeded');
  await runs.first().click();
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
  await expect(node(page, 'refund').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
});

test('two versions are diffed field by field and the older one is rolled back to from the History dialog', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Versioned greeting', definition: quick("'hello'") });
  await api.publishVersion(wf.id);
  await api.publishVersion(wf.id, quick("'bonjour'"));
  await openWorkflow(page, wf.id);
  await page.getByTestId('history').click();
  const dialog = page.getByTestId('history-dialog');
  await dialog.getByTestId('history-versions').click();
  await expect(dialog.getByTestId('version-row')).toHaveCount(2);
  await dialog.getByTestId('diff-from').selectOption('1');
  await dialog.getByTestId('diff-to').selectOption('2');
  const field = dialog.getByTestId('diff-field');
  await expect(field).toContainText('config.expression');
  await expect(field.locator('del')).toHaveText("'hello'");
  await expect(field.locator('ins')).toHaveText("'bonjour'");

  await dialog.getByTestId('rollback-1').click();
  await expect(dialog.getByTestId('version-row')).toHaveCount(3);
  await expect(page.getByTestId('toast-success')).toContainText('published version 3');
  await dialog.getByTestId('diff-from').selectOption('1');
  await dialog.getByTestId('diff-to').selectOption('3');
  await expect(dialog.getByTestId('diff-same')).toBeVisible();
  expect((await api.getWorkflow(wf.id)).latestVersion).toBe(3);
});

test('the home list searches by name, renames, duplicates and deletes a workflow', async ({ page, api }) => {
  const tag = crypto.randomUUID().slice(0, 6);
  const wf = await api.createWorkflow({ name: `Invoices ${tag}`, definition: quick("'x'") });
  await api.createWorkflow({ name: `Unrelated ${tag}` });
  await page.goto('/');
  await page.getByTestId('workflow-search').fill(`invoices ${tag}`);
  const items = page.getByTestId('workflow-item');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText(`Invoices ${tag}`);

  await items.first().getByTestId('rename-workflow').click();
  await page.getByTestId('rename-input').fill(`Invoices ${tag} renamed`);
  await page.getByTestId('confirm-rename').click();
  await expect(items.first()).toContainText(`Invoices ${tag} renamed`);
  expect((await api.getWorkflow(wf.id)).name).toBe(`Invoices ${tag} renamed`);

  await items.first().getByTestId('duplicate-workflow').click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Invoices ${tag} renamed (copy)`);

  await page.goto('/');
  await page.getByTestId('workflow-search').fill(`invoices ${tag}`);
  await expect(items).toHaveCount(2);
  const original = items.filter({ hasNotText: '(copy)' });
  await original.getByTestId('delete-workflow').click();
  await page.getByTestId('confirm-delete').click();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('(copy)');
  await expect(api.getWorkflow(wf.id)).rejects.toMatchObject({ status: 404 });
});

test('the starters are in a menu at the top of the home page', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('from-template').click();
  await page.getByRole('menuitem').first().click();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('canvas')).toBeVisible();
});
