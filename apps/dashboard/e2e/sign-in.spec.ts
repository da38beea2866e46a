import { expect, test } from './support/fixtures';

test.use({ signedIn: false });

test('a signed-out visitor lands on sign-in, signs in by magic link, sees the home page, switches org and signs out', async ({ page }) => {
  // Many page loads (dashboard, sign-in, mailbox, home, sign-out) on a loaded machine.
  test.setTimeout(180_000);
  const email = `e2e-dash-${Date.now()}@example.com`;
  // Signed out, the proxy holds no key: the API refuses, and the dashboard sends the browser to sign in.
  expect((await page.request.get('/api/weft/v1/runs/counts')).status()).toBe(401);
  await page.goto('/runs');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('check-mailbox')).toContainText(email);

  // The development mailbox (the gateway's page) holds the link; it leads back to the dashboard, signed in.
  await page.getByTestId('dev-mailbox-link').click();
  await page.locator('article', { hasText: email }).first().getByRole('link').click();
  await expect(page).toHaveURL(`${process.env.DASHBOARD_URL}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await expect(page.getByTestId('account-email')).toContainText(email);
  await expect(page.getByTestId('account-email')).toContainText('owner');

  // A second org: the switcher lists it, and picking it makes the proxy act there (Weft-Org).
  const me = (await (await page.request.get('/api/weft/v1/me')).json()) as { org: { name: string }; session: { csrfToken: string } };
  const created = await page.request.post('/api/weft/v1/orgs', { data: { name: 'Second Labs' }, headers: { 'x-weft-csrf': me.session.csrfToken } });
  expect(created.status()).toBe(201);
  await page.reload();
  await page.getByTestId('org-switcher').selectOption({ label: 'Second Labs' });
  await expect(page.getByTestId('org-switcher').locator('option:checked')).toHaveText('Second Labs');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  expect(((await (await page.request.get('/api/weft/v1/me')).json()) as { org: { name: string } }).org.name).toBe('Second Labs');
  await page.getByTestId('org-switcher').selectOption({ label: me.org.name });
  await expect(page.getByTestId('org-switcher').locator('option:checked')).toHaveText(me.org.name);
  expect(((await (await page.request.get('/api/weft/v1/me')).json()) as { org: { name: string } }).org.name).toBe(me.org.name);

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.request.get('/api/weft/v1/me')).status()).toBe(401);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});
