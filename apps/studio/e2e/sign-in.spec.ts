import { expect, test } from './support/fixtures';

test.use({ signedIn: false });

test('signs in by magic link through the development mailbox, shows the workflows, and signs out', async ({ page }) => {
  // Many page loads (sign-in, mailbox, studio, editor, sign-out) on a loaded machine.
  test.setTimeout(180_000);
  const email = `e2e-${Date.now()}@example.com`;
  await page.goto('/');
  // Signed out: the studio sends the browser to its sign-in page.
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('check-mailbox')).toContainText(email);

  // The development mailbox (the gateway's page) holds the link; it leads back to the studio, signed in.
  await page.getByTestId('dev-mailbox-link').click();
  const message = page.locator('article', { hasText: email }).first();
  await message.getByRole('link').click();
  await expect(page).toHaveURL(`${process.env.STUDIO_URL}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Workflows' })).toBeVisible();
  await expect(page.getByTestId('account-email')).toContainText(email);
  await expect(page.getByTestId('account-email')).toContainText('owner');

  // Signed in, the studio's calls carry the session: creating a workflow works (CSRF token included).
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-dialog').locator('#wf-name').fill('Made after signing in');
  await page.getByTestId('create-workflow').click();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.goto('/');
  await expect(page.getByText('Made after signing in')).toBeVisible();

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // The session is gone: the API refuses the cookie-less browser, the home page sends it back to sign in.
  expect((await page.request.get('/api/weft/v1/me')).status()).toBe(401);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a used sign-in link lands on the sign-in page with an explanation', async ({ page: first, context }) => {
  test.setTimeout(120_000);
  let page = first;
  const email = `e2e-reuse-${Date.now()}@example.com`;
  await page.goto('/sign-in');
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('check-mailbox')).toBeVisible();
  await page.goto(`${process.env.WEFT_API_URL}/dev/mailbox`);
  const link = (await page.locator('article', { hasText: email }).first().getByRole('link').getAttribute('href'))!;
  await page.goto(link);
  await expect(page.getByTestId('account-email')).toContainText(email);
  // Signed out (cookies gone), in a fresh tab: the same link again.
  await page.context().clearCookies();
  await page.close();
  page = await context.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/sign-in\?error=invalid_link$/);
  await expect(page.getByText('already used or has expired')).toBeVisible();
});
