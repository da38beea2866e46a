import { E2E_OAUTH_APPS } from '@weft/integration-tests/oauth-fakes';
import { expect, node, openWorkflow, savedDraft, test } from './support/fixtures';

// Page loads and an OAuth round trip on a loaded 2-core machine (no timing is asserted).
test.slow();

test("a node's connection is picked from the org's connections and connected through the consent page, back in the studio", async ({ page, api }) => {
  const name = `studio-slack-${Date.now().toString(36)}`;
  const created = await api.call<{ id: string }>('POST', '/v1/connections', { provider: 'slack', name, ...E2E_OAUTH_APPS.slack, scopes: ['chat:write'] });
  await api.call('POST', '/v1/connections', { provider: 'google', name: `${name}-google`, ...E2E_OAUTH_APPS.google, scopes: [] });
  const wf = await api.createWorkflow({
    name: 'Connections',
    definition: { nodes: [{ id: 'trigger', type: 'trigger', config: {} }, { id: 'say', type: 'slack_message', config: { channel: '#ops', text: 'hi' } }], edges: [{ source: 'trigger', target: 'say' }] },
  });
  await openWorkflow(page, wf.id);
  await node(page, 'say').click();
  const picker = page.locator('[data-field="connection"]').getByTestId('connection-picker');
  const select = picker.getByRole('combobox');
  // Slack connections only (the Google one is of another provider), with their status.
  await expect(select.locator('option', { hasText: name })).toHaveText(`${name} (not connected yet)`);
  await expect(select.locator('option', { hasText: `${name}-google` })).toHaveCount(0);
  await select.selectOption(name);

  // Connect: the draft is saved, the consent page (the provider's double) sends the browser to the
  // gateway's callback, which sends it back to this page.
  await picker.getByRole('button', { name: 'Connect' }).click();
  await page.waitForURL(new RegExp(`[?&]connection=${created.id}&status=connected`));
  await node(page, 'say').click();
  const back = page.locator('[data-field="connection"]').getByTestId('connection-picker');
  await expect(back.getByRole('combobox')).toHaveValue(name);
  await expect(back.getByRole('combobox').locator('option', { hasText: name })).toContainText('connected');
  await expect(back.getByRole('status')).toHaveText(`Connected ${name}.`);
  await expect(back.getByRole('button', { name: /Connect|Reconnect/ })).toHaveCount(0);
  expect(JSON.stringify(await savedDraft(page, api, wf.id))).toContain(`"connection":"${name}"`);
  expect(await page.content()).not.toContain(E2E_OAUTH_APPS.slack.clientSecret);
});
