import { expect, node, openWorkflow, test } from './support/fixtures';

// Several runs and page loads each: given the time of a loaded 2-core machine (no timing is asserted).
test.slow();

test("the secret picker lists the org's secrets and creates one in place, its value never shown again", async ({ page, api, echoUrl }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const existing = `CRM_TOKEN_${suffix}`;
  await api.createSecret({ name: existing, value: 'existing-value-123', description: 'The CRM API token' });
  const wf = await api.createWorkflow({
    name: 'Secrets',
    definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'fetch', type: 'http_request', config: { url: `${echoUrl}/items` } }], edges: [{ source: 'trigger', target: 'fetch' }] },
  });
  await openWorkflow(page, wf.id);
  await node(page, 'fetch').click();
  // The field's own input (the picker's create form, inside the same field, has inputs too).
  const url = page.locator('[data-field="url"] input[role="combobox"]');

  // Pick an existing secret: its name goes into the field as a template.
  await page.locator('[data-field="url"]').getByRole('button', { name: 'Insert a secret' }).click();
  const list = page.getByTestId('org-secrets');
  await expect(list).toContainText(existing);
  await expect(list).toContainText('The CRM API token');
  await page.getByRole('textbox', { name: 'Find a secret' }).fill(`crm_token_${suffix.toLowerCase()}`);
  await list.getByRole('button', { name: new RegExp(existing) }).click();
  await expect(url).toHaveValue(new RegExp(`\\{\\{ secrets\\.${existing} \\}\\}`));

  // Create one in place.
  const created = `NEW_KEY_${suffix}`;
  const value = `never-shown-${suffix}`;
  await page.locator('[data-field="url"]').getByRole('button', { name: 'Insert a secret' }).click();
  await page.getByTestId('new-secret').click();
  await page.locator('#new-secret-name').fill(created.toLowerCase());
  await expect(page.locator('#new-secret-name')).toHaveValue(created);
  await page.locator('#new-secret-value').fill(value);
  await expect(page.locator('#new-secret-value')).toHaveAttribute('type', 'password');
  await page.getByTestId('create-secret').click();
  await expect(url).toHaveValue(new RegExp(`\\{\\{ secrets\\.${created} \\}\\}`));
  expect((await api.listSecrets({ limit: 200 })).items.map((s) => s.name)).toContain(created);
  // The value is nowhere on the page any more, and the picker lists the new name only.
  expect(await page.content()).not.toContain(value);
  await page.locator('[data-field="url"]').getByRole('button', { name: 'Insert a secret' }).click();
  await expect(page.getByTestId('org-secrets')).toContainText(created);
  expect(await page.content()).not.toContain(value);
});
