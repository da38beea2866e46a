import { WeftClient } from '@weft/sdk';
import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';

// Several API round trips and a run per test, on a shared and busy machine.
test.describe.configure({ timeout: 180_000 });

test('a secret is created, used by a workflow, given a new version and deleted; its value never shows', async ({ page, api }, info) => {
  const name = `E2E_${info.testId.slice(0, 6).toUpperCase().replace(/[^A-Z0-9]/g, 'X')}_TOKEN`;
  const [first, second] = [`first-${crypto.randomUUID()}`, `second-${crypto.randomUUID()}`];
  await page.goto('/secrets');
  await page.locator('summary', { hasText: 'New secret' }).click();
  await page.getByTestId('secret-name').fill(name);
  await page.getByTestId('secret-value').fill(first);
  await page.getByTestId('secret-description').fill('for the browser test');
  await page.getByTestId('secret-create-submit').click();
  await expect(page.getByTestId('secrets-notice')).toContainText(`Created ${name} (version 1)`);
  const row = page.locator(`[data-testid="secret-row"][data-name="${name}"]`);
  await expect(row.getByTestId('secret-version')).toHaveText('v1');
  await expect(row.getByTestId('secret-last-used')).toHaveText('never');
  await expect(page.getByTestId('secret-value')).toHaveValue('');

  // A workflow uses it: the row names that workflow as its last user.
  const wf = await api.createWorkflow({
    name: `Uses ${name}`,
    definition: {
      nodes: [
        { id: 'start', type: 'trigger', config: {} },
        { id: 'call', type: 'http_request', config: { method: 'GET', url: `${process.env.ECHO_URL}/echo`, headers: { authorization: `Bearer {{ secrets.${name} }}` } } },
      ],
      edges: [{ source: 'start', target: 'call' }],
    },
  });
  await api.publishVersion(wf.id);
  await runUntil(api, (await api.createRun({ workflowId: wf.id })).runId, (r) => r.status === 'succeeded');
  await page.reload();
  await expect(row.getByTestId('secret-last-used')).toContainText(`Uses ${name}`);

  // A new value is a new version, typed in a password field.
  await row.getByTestId('secret-rotate').click();
  await expect(row.getByTestId('secret-value')).toHaveAttribute('type', 'password');
  await row.getByTestId('secret-value').fill(second);
  await row.getByTestId('secret-rotate-submit').click();
  await expect(page.getByTestId('secrets-notice')).toContainText(`${name} is now version 2`);
  await expect(row.getByTestId('secret-version')).toHaveText('v2');
  for (const value of [first, second]) expect(await page.content()).not.toContain(value);

  // Delete asks first; Escape backs out; Confirm deletes.
  await row.getByTestId('secret-delete').click();
  await page.keyboard.press('Escape');
  await expect(row.getByTestId('secret-delete')).toBeVisible();
  await row.getByTestId('secret-delete').click();
  await row.getByTestId('secret-delete-confirm').click();
  await expect(page.getByTestId('secrets-notice')).toContainText(`Deleted ${name}`);
  await expect(row).toHaveCount(0);
  expect((await api.listSecrets({ limit: 200 })).items.map((s) => s.name)).not.toContain(name);
});

test('an API key is created with a role and an expiry, shown once with a copy button, works, and is revoked', async ({ page, context }, info) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = `CI key ${info.testId.slice(0, 6)}`;
  await page.goto('/api-keys');
  await page.locator('summary', { hasText: 'New API key' }).click();
  await page.getByTestId('api-key-name').fill(name);
  await page.getByTestId('api-key-role').selectOption('viewer');
  await page.getByTestId('api-key-expiry').selectOption('7');
  await page.getByTestId('api-key-create').click();
  const shown = page.getByTestId('created-key-value');
  await expect(shown).toBeVisible();
  const key = (await shown.textContent())!.trim();
  await page.getByTestId('copy-key').click();
  await expect(page.getByTestId('copy-key')).toHaveText(/Copied/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // The key works, as a viewer, and expires in about a week.
  const client = new WeftClient({ baseUrl: process.env.WEFT_API_URL!, apiKey: key });
  expect((await client.me()).role).toBe('viewer');
  const row = page.locator(`[data-testid="api-key-row"][data-name="${name}"]`);
  await expect(row).toContainText('viewer');
  await expect(row.getByTestId('api-key-expires')).not.toHaveText('never');

  // Dismissed, the key is gone from the page for good.
  await page.getByTestId('created-key-done').click();
  await expect(shown).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
  await page.reload();
  expect(await page.content()).not.toContain(key);

  await row.getByTestId('api-key-revoke').click();
  await row.getByTestId('api-key-revoke-confirm').click();
  await expect(row).toHaveCount(0);
  await expect.poll(() => client.me().then(() => 200, (e: { status?: number }) => e.status)).toBe(401);
});
