import { expect, test } from './support/fixtures';

/** A workflow whose runs fail (a terminate node) unless their input says `ok: true`. */
const failing = {
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'check', type: 'branch', position: { x: 260, y: 0 }, config: { condition: 'input.ok' } },
    { id: 'fine', type: 'transform', position: { x: 520, y: -80 }, config: { expression: 'input' } },
    { id: 'boom', type: 'terminate', position: { x: 520, y: 80 }, config: { status: 'failed', message: 'upstream down' } },
  ],
  edges: [
    { source: 'start', target: 'check' },
    { source: 'check', target: 'fine', sourceHandle: 'true' },
    { source: 'check', target: 'boom', sourceHandle: 'false' },
  ],
};

test('an alert is added on the workflow page, tested, opens an incident when runs fail in a row, is edited and deleted', async ({ page, api }) => {
  // Several asynchronous hops (outbox relay, alert worker, runs): generous on a loaded machine.
  test.setTimeout(180_000);
  const wf = await api.createWorkflow({ name: `Alerted ${crypto.randomUUID().slice(0, 6)}`, definition: failing });
  await api.publishVersion(wf.id);
  await page.goto(`/workflows/${wf.id}`);
  const section = page.getByTestId('alerts-section');
  await expect(section).toContainText('No alerts');

  await section.getByTestId('alert-add').click();
  await section.getByTestId('alert-name').fill('On-call');
  await section.getByTestId('alert-condition').selectOption('consecutive_failures');
  await section.getByTestId('alert-count').fill('2');
  await section.getByTestId('alert-target').fill('oncall@example.com');
  await section.getByTestId('alert-save').click();
  const row = section.getByTestId('alert-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('2 runs fail in a row, and on recovery');
  await expect(row).toContainText('email oncall@example.com');

  // The test message goes to the development mailbox; the row shows its delivery.
  await row.getByTestId('alert-test').click();
  await expect(row.getByTestId('alert-test-result')).toBeVisible();
  await expect(row.getByTestId('alert-test-result')).toHaveText('test delivered', { timeout: 90_000 });

  // Two failures in a row: one incident.
  for (let i = 0; i < 2; i++) {
    const { runId } = await api.createRun({ workflowId: wf.id, inputs: { ok: false } });
    await expect.poll(async () => (await api.getRun(runId)).status, { timeout: 30_000 }).toBe('failed');
  }
  await expect.poll(async () => (await api.listAlertIncidents({ workflowId: wf.id })).items.length, { timeout: 30_000 }).toBe(1);
  await page.reload();
  await expect(section.getByTestId('incident-row')).toHaveAttribute('data-status', 'open');
  await expect(section.getByTestId('incident-row')).toContainText('On-call');

  // Edited: any failure; the channel stays (left blank).
  await row.getByTestId('alert-edit').click();
  await section.getByTestId('alert-condition').selectOption('failure');
  await section.getByTestId('alert-save').click();
  await expect(row).toContainText('a run fails');
  await expect(row).toContainText('email oncall@example.com');

  // A bad recipient is refused with the API's words, and nothing changes.
  await row.getByTestId('alert-edit').click();
  await section.getByTestId('alert-target').fill('not-an-address');
  await section.getByTestId('alert-save').click();
  await expect(section.getByRole('alert')).toContainText('The alert was not saved');
  await section.getByRole('button', { name: 'Cancel' }).click();

  await row.getByTestId('alert-delete').click();
  await expect(section).toContainText('No alerts');
});
