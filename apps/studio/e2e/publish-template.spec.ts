import type { WeftClient } from '@weft/sdk';
import { expect, openWorkflow, test } from './support/fixtures';

const definition = (echoUrl: string, authorization: string) => ({
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'call', type: 'http_request', position: { x: 260, y: 0 }, config: { method: 'POST', url: `${echoUrl}/alert`, headers: { authorization, 'x-slack': '{{ secrets.SLACK_TOKEN_E2E }}' } } },
  ],
  edges: [{ source: 'start', target: 'call' }],
});

async function publishedWorkflow(api: WeftClient, name: string, def: object) {
  const wf = await api.createWorkflow({ name, definition: def as Record<string, unknown> });
  await api.publishVersion(wf.id);
  return wf.id;
}

test('the publish-as-template dialog refuses a leaked key (node and path), flags unmapped secrets and missing descriptions, then submits for review', async ({ page, api, echoUrl }) => {
  // Two dialog openings, four checks and a submission on a loaded machine.
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const id = await publishedWorkflow(api, `Alert ${tag}`, definition(echoUrl, 'Bearer sk_live_51HabcdefGHIJKLmnopQRST'));
  await openWorkflow(page, id);
  await page.getByTestId('publish-template').click();
  const dialog = page.getByTestId('publish-template-dialog');
  await expect(dialog.getByTestId('check-errors')).toContainText('node call');
  await expect(dialog.getByTestId('check-errors')).toContainText('config.headers.authorization');
  await expect(dialog.getByTestId('submit-template')).toBeDisabled();
  await expect(dialog).not.toContainText('sk_live_51Habcdef');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The creator moves the key into a secret and publishes a new version: the dialog checks the newest.
  await api.publishVersion(id, definition(echoUrl, 'Bearer {{ secrets.ALERT_KEY_E2E }}'));
  await page.getByTestId('publish-template').click();
  await expect(dialog.getByTestId('check-ok')).toBeVisible();
  await expect(dialog.getByTestId('check-warnings')).toContainText('credentials.SLACK_TOKEN_E2E');
  await expect(dialog.getByTestId('check-unmapped')).toHaveCount(2);
  await expect(dialog.getByTestId('check-domains')).toHaveText('127.0.0.1');

  await dialog.getByTestId('template-slug').fill(`alert-${tag}`);
  await dialog.getByTestId('template-summary').fill('Posts an alert');
  await dialog.getByTestId('template-tags').fill('ops, alerts');
  await dialog.getByTestId('slot-description-ALERT_KEY_E2E').fill('Key of the alert service');
  await dialog.getByTestId('slot-description-SLACK_TOKEN_E2E').fill('Slack bot token');
  await dialog.getByTestId('slot-kind-SLACK_TOKEN_E2E').fill('slack_bot_token');
  await dialog.getByTestId('run-checks').click();
  await expect(dialog.getByTestId('check-warnings')).not.toContainText('describe it');
  await dialog.getByTestId('submit-template').click();
  await expect(dialog.getByTestId('template-submitted')).toContainText('pending');

  const queue = await api.moderationQueue({ status: 'pending', limit: 200 });
  const queued = queue.items.find((t) => t.slug === `alert-${tag}`);
  expect(queued).toMatchObject({ name: `Alert ${tag}`, tags: ['ops', 'alerts'], latestVersion: 1 });
});
