import { utcMonthDays } from '@weft/workflow-schema';
import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';

// Seeded runs and several API round trips per test, on a shared and busy machine.
test.describe.configure({ timeout: 180_000 });

test('the home page shows this month’s runs and step time, the metered usage of the UTC month (as the Usage page and billing)', async ({ page, api, seeded }) => {
  expect(seeded.succeeded.status).toBe('succeeded');
  const usage = { runs: (await api.getUsage(utcMonthDays(new Date()))).totals.run ?? 0 };
  expect(usage.runs).toBeGreaterThanOrEqual(4);
  await page.goto('/');
  const card = page.getByTestId('usage-card');
  // At least the seeded runs (other tests add theirs meanwhile).
  await expect(card.getByTestId('usage-runs-value')).toHaveText(/^[\d,.\s]+$/);
  expect(Number((await card.getByTestId('usage-runs-value').textContent())!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(usage.runs);
  await expect(card.getByTestId('usage-step-time-value')).toHaveText(/\d+(\.\d)? ?(ms|s|min|h)/);
  await expect(card.getByRole('img', { name: /Runs: .* this month, .* last month/ })).toBeVisible();
});

test('a failed run is replayed from its last node with an edited input, as a new run that reuses the call', async ({ page, api, seeded }) => {
  await page.goto(`/runs/${seeded.failed.id}`);
  const replay = page.getByTestId('replay-from-node');
  await replay.locator('summary').click();
  await replay.getByTestId('replay-node').selectOption('out');
  // Prefilled with what the node reads: the call's output (none here: the call failed), edited.
  await expect(replay.getByTestId('replay-input')).toHaveValue('{}');
  await replay.getByTestId('replay-input').fill('{ "call": { "status": 299 } ');
  await replay.getByTestId('replay-submit').click();
  await expect(replay.getByTestId('replay-error')).toContainText('not JSON');
  // A node that is not before it: the API's 400 names the path.
  await replay.getByTestId('replay-input').fill('{ "out": {} }');
  await replay.getByTestId('replay-submit').click();
  await expect(replay.getByTestId('replay-error')).toContainText('body.stepOutputs.out');

  await replay.getByTestId('replay-input').fill('{ "call": { "status": 299 } }');
  await replay.getByTestId('replay-submit').click();
  await expect(page).not.toHaveURL(new RegExp(seeded.failed.id));
  const newId = page.url().split('/runs/')[1]!;
  const run = await runUntil(api, newId, (r) => r.status === 'succeeded');
  expect(run).toMatchObject({ triggerType: 'retry', triggerId: seeded.failed.id });
  expect(run.steps.find((s) => s.nodeId === 'out')!.output).toEqual({ ok: 299 });
  expect(run.steps.filter((s) => s.nodeId === 'call')).toHaveLength(1); // reused: one attempt, not executed
  await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded');
  await expect(page.getByTestId('step-out')).toHaveAttribute('data-status', 'succeeded');
});
