import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

/** The list row of one workflow, once the search (sent to the API after typing stops) shows only it. */
async function rowOf(page: Page, wf: { id: string; name: string }) {
  await page.getByTestId('workflow-search').fill(wf.name);
  await expect(page.getByTestId('workflow-row')).toHaveCount(1);
  return page.locator(`[data-testid="workflow-row"][data-workflow-id="${wf.id}"]`);
}

const greeting = (word: string) => ({
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'greet', type: 'transform', position: { x: 260, y: 0 }, config: { expression: `'${word}'` } },
  ],
  edges: [{ source: 'start', target: 'greet' }],
});

test('two versions of a workflow are diffed and the older one is rolled back to', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: `Diffed ${crypto.randomUUID().slice(0, 6)}`, definition: greeting('hello') });
  await api.publishVersion(wf.id);
  const v2 = greeting('bonjour');
  v2.nodes.push({ id: 'shout', type: 'transform', position: { x: 520, y: 0 }, config: { expression: 'steps.greet.output' } });
  v2.edges.push({ source: 'greet', target: 'shout' });
  await api.publishVersion(wf.id, v2);

  await page.goto('/workflows');
  await (await rowOf(page, wf)).getByTestId('versions-link').click();
  await expect(page).toHaveURL(`/workflows/${wf.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(wf.name);
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  // By default: the previous version against the latest.
  await expect(page.getByTestId('diff-node-added')).toContainText('shout');
  await expect(page.getByTestId('diff-edge-added')).toContainText('greet → shout');
  const field = page.getByTestId('diff-field');
  await expect(field.locator('code')).toHaveText('config.expression');
  await expect(field.locator('del')).toHaveText("'hello'");
  await expect(field.locator('ins')).toHaveText("'bonjour'");

  await page.getByTestId('rollback-1').click();
  await expect(page.getByTestId('rollback-note')).toContainText('Published version 3');
  await expect(page.getByTestId('version-row')).toHaveCount(3);
  await expect(page.getByTestId('diff-node-removed')).toContainText('shout');
  expect((await api.getWorkflow(wf.id)).latestVersion).toBe(3);
  expect((await api.diffVersions(wf.id, 1, 3)).same).toBe(true);
});

test('a workflow is disabled from the list: its Run now is off and the API refuses its runs until it is enabled again', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: `Switch ${crypto.randomUUID().slice(0, 6)}`, definition: greeting('hi') });
  await api.publishVersion(wf.id);
  const { runId } = await api.createRun({ workflowId: wf.id });
  await page.goto('/workflows');
  const row = await rowOf(page, wf);
  await expect(row.getByTestId('status-badge')).toHaveAttribute('data-status', /queued|running|succeeded/);
  await expect(row.getByTestId('success-rate')).toBeVisible();
  await expect(row.locator(`a[href="/runs/${runId}"]`)).toBeVisible();

  const toggle = row.getByTestId('enabled-switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(row.getByTestId('run-now')).toBeDisabled();
  expect((await api.getWorkflow(wf.id)).enabled).toBe(false);
  await expect(api.createRun({ workflowId: wf.id })).rejects.toMatchObject({ status: 409 });

  await page.reload();
  const again = (await rowOf(page, wf)).getByTestId('enabled-switch');
  await expect(again).toHaveAttribute('aria-checked', 'false');
  await again.click();
  await expect(again).toHaveAttribute('aria-checked', 'true');
  expect((await api.createRun({ workflowId: wf.id })).runId).toMatch(/^[0-9a-f-]{36}$/);
});
