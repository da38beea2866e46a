import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { loopOverCalls, runLoop } from './support/loops';
import { expect, node, openWorkflow, test } from './support/fixtures';

// The states added for issue 16's walk through the studio (README "Studio"): for_each items,
// readable errors, keyboard connecting and the secret picker. `pnpm --filter @weft/studio screenshots`.
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`) });
test.slow();

test('for_each items, a readable error, keyboard connecting and the secret picker', async ({ page, api, echoUrl }) => {
  const loop = await api.createWorkflow({ name: 'Loop over calls', definition: loopOverCalls(echoUrl) });
  await openWorkflow(page, loop.id);
  await runLoop(page);
  await node(page, 'each').click({ position: { x: 60, y: 20 } });
  await page.getByTestId('iteration-1').click();
  await node(page, 'each.call').click();
  await expect(page.getByTestId('step-item')).toBeVisible();
  await page.mouse.move(0, 0);
  await shot(page, 'for-each-items-light');

  const blocked = await api.createWorkflow({
    name: 'Blocked call',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 0 } },
        { id: 'fetch', type: 'http_request', config: { method: 'GET', url: 'http://169.254.169.254/latest/meta-data' }, position: { x: 300, y: 0 } },
      ],
      edges: [{ source: 'trigger', target: 'fetch' }],
    },
  });
  await openWorkflow(page, blocked.id);
  await page.getByTestId('run').click();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-bar')).toContainText('failed');
  await node(page, 'fetch').click();
  await expect(page.getByTestId('step-error')).toBeVisible();
  await page.mouse.move(0, 0);
  await shot(page, 'step-error-light');

  await page.getByRole('button', { name: 'Back to editing' }).first().click();
  await page.getByRole('button', { name: 'Output of trigger' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-hint')).toContainText('Connecting from');
  await shot(page, 'keyboard-connect-light');
  await page.keyboard.press('Escape');

  await api.createSecret({ name: `CRM_TOKEN_${Date.now().toString(36).toUpperCase()}`, value: 'shot-value-123', description: 'The CRM API token' }).catch(() => undefined);
  await node(page, 'fetch').click();
  await page.getByTestId('tab-run').isVisible();
  await page.getByRole('tab', { name: 'Configure' }).click();
  await page.locator('[data-field="url"]').getByRole('button', { name: 'Insert a secret' }).click();
  await expect(page.getByTestId('org-secrets')).toBeVisible();
  await shot(page, 'secret-picker-light');
});
