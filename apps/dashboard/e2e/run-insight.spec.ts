import { expect, test } from './support/fixtures';
import { runUntil } from './support/seed';
import { shortId } from '../src/lib/format';

test('runs are found by their error message', async ({ page, seeded }) => {
  await page.goto(`/runs?workflowId=${seeded.workflows.flaky}`);
  await page.getByTestId('filter-q').fill('503');
  await page.getByTestId('filter-q').press('Enter');
  await expect(page).toHaveURL(/q=503/);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toContainText(shortId(seeded.failed.id));

  await page.getByTestId('filter-q').fill('no such failure');
  await page.getByTestId('filter-q').press('Enter');
  await expect(page.getByTestId('empty-state')).toContainText('no such failure');
});

test('a failed run shows its timeline and replays its history on the graph', async ({ page, seeded }) => {
  await page.goto(`/runs/${seeded.failed.id}`);
  // Two attempts of the failing call, each with its execution bar.
  const bars = page.getByTestId('timeline-bar').and(page.locator('[data-node="call"]'));
  await expect(bars).toHaveCount(2);
  await expect(bars.first().locator('.bar-run')).toHaveCount(1);
  await expect(bars.first()).toHaveAttribute('data-status', 'failed');

  await expect(page.getByTestId('replay-position')).toContainText('end · failed');
  await page.getByTestId('replay-range').fill('0');
  await expect(page.getByTestId('replay-position')).toContainText('start');
  await expect(page.locator('.react-flow__node.graph-failed')).toHaveCount(0);
  await page.getByTestId('replay-play').click();
  // Played to the end: the call node turns red again.
  await expect(page.getByTestId('replay-position')).toContainText('end · failed', { timeout: 30_000 });
  await expect(page.locator('.react-flow__node.graph-failed')).toHaveAttribute('data-id', 'call');
});

test('a run is run again with edited inputs and compared with the one before', async ({ page, api, seeded }) => {
  await page.goto(`/runs/${seeded.succeeded.id}`);
  await page.getByTestId('rerun').locator('summary').click();
  await page.getByTestId('rerun-inputs').fill('{ "name": "Grace" }');
  await page.getByTestId('rerun-submit').click();
  await page.waitForURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(seeded.succeeded.id));
  const newId = new URL(page.url()).pathname.split('/').pop()!;
  await runUntil(api, newId, (r) => r.status === 'succeeded');
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');

  await page.getByTestId('compare-previous').click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${seeded.succeeded.id}&b=${newId}`));
  const greet = page.getByTestId('compare-greet');
  await expect(greet).toHaveAttribute('data-same', 'false');
  await expect(greet.getByTestId('output-diff')).toContainText('Hello Ada');
  await expect(greet.getByTestId('output-diff')).toContainText('Hello Grace');
  await expect(page.getByTestId('compare-summary')).toContainText('nodes differ');
});

test('two runs picked in the list are compared, with the keyboard', async ({ page, api, seeded }) => {
  const other = (await api.createRun({ workflowId: seeded.workflows.quick, inputs: { name: 'Lin' } })).runId;
  await runUntil(api, other, (r) => r.status === 'succeeded');
  await page.goto(`/runs?workflowId=${seeded.workflows.quick}`);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  const rows = page.getByTestId('run-row');
  await rows.first().focus();
  await page.keyboard.press('x');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('x');
  await expect(rows.nth(0)).toHaveAttribute('data-selected', 'true');
  await expect(rows.nth(1)).toHaveAttribute('data-selected', 'true');
  await page.getByTestId('compare-selected').click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${seeded.succeeded.id}&b=${other}`));
  await expect(page.getByTestId('compare-greet').getByTestId('output-diff')).toContainText('Hello Lin');

  await page.goto(`/runs?workflowId=${seeded.workflows.quick}`);
  await rows.first().focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/runs/${other}$`));
});

test('a failed run found from the home page is retried from its failing node and succeeds', async ({ page, api, seeded }) => {
  const id = seeded.failed.id;
  await page.goto('/');
  await page.getByTestId('failures').locator('li', { hasText: shortId(id) }).getByTestId('failure-link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${id}$`));
  await expect(page.getByTestId('step-call').getByTestId('step-error')).toContainText('503');
  await page.getByTestId('retry-from-call').click();
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');
  await expect(page.getByTestId('step-call')).toHaveAttribute('data-status', 'succeeded');
  // The timeline now holds the third attempt of the call, succeeded.
  await expect(page.getByTestId('timeline-bar').and(page.locator('[data-node="call"]')).last()).toHaveAttribute('data-status', 'succeeded');
  expect((await api.getRun(id)).status).toBe('succeeded');
});
