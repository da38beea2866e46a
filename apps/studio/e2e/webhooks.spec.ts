import { seedWebhookDelivery } from '@weft/integration-tests/seed-webhook-delivery';
import { expect, openWorkflow, test } from './support/fixtures';

const definition = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 80 } },
    { id: 'echo', type: 'transform', config: { expression: 'input' }, position: { x: 300, y: 80 } },
  ],
  edges: [{ source: 'trigger', target: 'echo' }],
};

test('a creator adds a signed webhook from the workflow panel: the URL to copy, the secret shown once, a test event, its deliveries with replay, pause and delete', async ({ page, api, databaseUrl, context }) => {
  test.slow(); // many steps in one walk
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const wf = await api.createWorkflow({ name: 'Hooked', definition });
  await api.publishVersion(wf.id);
  await openWorkflow(page, wf.id);
  const section = page.getByTestId('webhooks');
  await expect(section).toContainText('No webhook');

  await section.getByTestId('add-webhook').click();
  await section.getByLabel('Verification').selectOption('standard-webhooks');
  await section.getByTestId('create-webhook').click();
  await expect(section.getByRole('form', { name: 'New webhook' })).toHaveCount(0);

  const [hook] = (await api.listWebhooks(wf.id)).items;
  expect(hook).toMatchObject({ scheme: 'standard-webhooks', mode: 'async', enabled: true });
  const item = section.getByTestId(`webhook-${hook!.id}`);
  await expect(item.getByTestId('webhook-url')).toHaveText(hook!.url);
  await expect(item.getByTestId('webhook-secret')).toContainText('whsec_');
  await item.getByRole('button', { name: 'Copy URL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hook!.url);

  // The secret is shown only once: after a reload it is gone.
  await page.reload();
  await expect(page.getByTestId('webhooks').getByTestId(`webhook-${hook!.id}`)).toBeVisible();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);

  // A refused delivery, as the ingress logs it, shows with its reason.
  await seedWebhookDelivery(databaseUrl, hook!.id, { status: 'refused', httpStatus: 401, reason: 'invalid_signature' });
  const again = page.getByTestId('webhooks').getByTestId(`webhook-${hook!.id}`);
  await again.getByRole('button', { name: 'Recent deliveries' }).click();
  await expect(again.getByTestId('webhook-deliveries')).toContainText('refused');
  await expect(again.getByTestId('webhook-deliveries')).toContainText('invalid_signature');

  // A test event: signed by the server with the hook's secret, through the real ingress, logged, with its run.
  await again.getByTestId('send-test-event').click();
  await expect(again.getByTestId('test-event-result')).toContainText('HTTP 202');
  // (The seeded row's id is not time-ordered: find the test delivery by its status, not its place.)
  const accepted = again.locator('[data-testid="webhook-delivery"][data-status="accepted"]');
  await expect(accepted).toHaveCount(1);
  await expect(accepted).toContainText('verified');
  await expect(accepted).toContainText(' ms');
  // Replayed: a new delivery (and run) with the same body.
  await accepted.getByRole('button', { name: /^Replay delivery/ }).click();
  await expect(again.locator('[data-testid="webhook-delivery"][data-status="replayed"]')).toHaveCount(1);
  const runs = await api.listRuns({ workflowId: wf.id, triggerType: 'webhook' });
  expect(runs.items).toHaveLength(2);

  await again.getByLabel(`Webhook ${hook!.id} enabled`).uncheck();
  await expect.poll(async () => (await api.listWebhooks(wf.id)).items[0]?.enabled).toBe(false);

  page.once('dialog', (d) => void d.accept());
  await again.getByRole('button', { name: `Delete webhook ${hook!.id}` }).click();
  await expect(page.getByTestId('webhooks')).toContainText('No webhook');
});
