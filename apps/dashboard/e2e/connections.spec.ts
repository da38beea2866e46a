import { E2E_OAUTH_APPS } from '@weft/integration-tests/oauth-fakes';
import { expect, test } from './support/fixtures';

test('creates a Google connection and connects it through the consent page, tokens never in the browser', async ({ page }, info) => {
  const name = `e2e-google-${info.testId.slice(0, 6)}`;
  await page.goto('/connections');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connections');
  const form = page.getByTestId('new-connection');
  await form.getByLabel('Provider').selectOption('google');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Client id').fill(E2E_OAUTH_APPS.google.clientId);
  await form.getByLabel('Client secret').fill(E2E_OAUTH_APPS.google.clientSecret);
  await form.getByRole('button', { name: 'Create' }).click();
  const row = page.getByTestId(`connection-${name}`);
  await expect(row.getByTestId('connection-status')).toHaveText('not connected');

  // Connect: the provider's consent page (the double) redirects to the gateway's callback, which redirects back here.
  const tokenAnswers: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/token')) tokenAnswers.push(r.url());
  });
  await row.getByRole('button', { name: 'Connect' }).click();
  await page.waitForURL(/\/connections\?.*status=connected/);
  await expect(page.getByTestId('connect-outcome')).toHaveText('Connected.');
  await expect(page.getByTestId(`connection-${name}`).getByTestId('connection-status')).toHaveText('connected');
  await expect(page.getByTestId(`connection-${name}`).getByRole('button', { name: 'Reconnect' })).toBeVisible();
  // The code exchange happened between the gateway and the provider, never through the browser.
  expect(tokenAnswers).toEqual([]);
  const html = await page.content();
  expect(html).not.toContain('ya29.');
  expect(html).not.toContain(E2E_OAUTH_APPS.google.clientSecret);
});
