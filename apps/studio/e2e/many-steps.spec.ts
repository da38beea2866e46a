import { seedRunRows } from '@weft/integration-tests/seed-run-rows';
import { RUN_STEPS_CAP } from '@weft/workflow-schema';
import { STARTERS } from '../src/lib/starters';
import { expect, node, openWorkflow, test } from './support/fixtures';

const SEEDED = 1_200;

test('the run view shows every step of a run with more steps than GET /v1/runs/:id holds', async ({ page, api, databaseUrl }) => {
  const starter = STARTERS.find((s) => s.key === 'approval')!;
  const wf = await api.createWorkflow({ name: 'Many steps', definition: starter.definition });
  await openWorkflow(page, wf.id);
  await page.getByTestId('run').click();
  await page.locator('#inputs-amount').fill('12');
  await page.getByTestId('start-run').click();
  await expect(node(page, 'approve').locator('.wf-node')).toHaveAttribute('data-status', 'waiting');

  // While it waits, the run gets 1,200 more (finished) steps, seeded in SQL: the approval's
  // outcome, `refund`, is then created after all of them, past the API's cap.
  const [run] = (await api.listRuns({ workflowId: wf.id })).items;
  await seedRunRows(databaseUrl, run!.id, { steps: SEEDED });
  await page.getByTestId('run-bar').locator('..').getByTestId('approve').click();

  const capped = await api.waitForRun(run!.id);
  expect(capped.status).toBe('succeeded');
  // GET /v1/runs/:id alone holds the first RUN_STEPS_CAP steps: refund's is not among them.
  expect(capped.steps).toHaveLength(RUN_STEPS_CAP);
  expect(capped.steps.some((s) => s.nodeId === 'refund')).toBe(false);
  expect(capped.stepsTotal).toBeGreaterThan(SEEDED);
  // The studio reads them all: refund's step shows on its node, and the banner counts the workflow's nodes.
  await expect(page.getByTestId('run-bar')).toContainText('succeeded');
  const nodes = starter.definition.nodes.length;
  await expect(page.getByTestId('run-bar')).toContainText(new RegExp(`\\d+/${nodes} steps done`));
  await expect(node(page, 'refund').locator('.wf-node')).toHaveAttribute('data-status', 'succeeded');
});
