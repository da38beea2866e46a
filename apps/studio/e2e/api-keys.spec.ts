import { expect, test } from './support/fixtures';

const gateway = (path: string, key: string) => fetch(`${process.env.WEFT_API_URL}${path}`, { headers: { authorization: `Bearer ${key}` } });

test('an admin lists the keys, creates one shown once with a copy button, and revokes it after confirming', async ({ page, context, api }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: process.env.STUDIO_URL! });
  await page.goto('/');
  await page.getByTestId('nav-keys').click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();

  // The bootstrap key (for scripts and curl; the studio itself signs in with a session) is listed like any other.
  const own = page.locator('[data-name="bootstrap"]');
  await expect(own.getByTestId('key-role')).toHaveText('owner');
  await expect(own.getByTestId('revoke-key')).toBeEnabled();

  // Create: a past date is refused on the form; then 30 days.
  await page.getByTestId('new-key').click();
  const dialog = page.getByTestId('create-key-dialog');
  await dialog.getByTestId('key-name').fill('CI deploys');
  await dialog.getByTestId('key-role-select').selectOption('operator');
  await dialog.getByTestId('key-expiry').selectOption('date');
  await dialog.getByTestId('key-expiry-date').fill('2020-01-01');
  await expect(dialog.getByText('The date must be in the future')).toBeVisible();
  await expect(dialog.getByTestId('create-key')).toBeDisabled();
  await dialog.getByTestId('key-expiry').selectOption('30');
  await dialog.getByTestId('create-key').click();

  const created = page.getByTestId('key-created-dialog');
  const key = (await created.getByTestId('new-key-value').textContent())!;
  expect(key).toMatch(/^weft_[\w-]{40,}$/);
  await created.getByTestId('copy-key').click();
  await expect(created.getByTestId('copy-key')).toHaveText(/Copied/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await created.getByTestId('key-created-done').click();
  await expect(created).toBeHidden();
  // Shown once: the page holds it nowhere any more.
  await expect(page.getByText(key)).toHaveCount(0);

  const row = page.locator('[data-name="CI deploys"]');
  await expect(row.getByTestId('key-role')).toHaveText('operator');
  await expect(row.getByTestId('key-prefix')).toHaveText(`${key.slice(0, 12)}…`);
  await expect(row.getByTestId('key-last-used')).toHaveText('Never');
  await expect(row.getByTestId('key-expires')).not.toHaveText(/Never|Expired/);
  const listed = (await api.listApiKeys()).items.find((k) => k.name === 'CI deploys')!;
  expect(Date.parse(listed.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);

  // The key works with its role, and its use shows up.
  const me = await gateway('/v1/me', key);
  expect(me.status).toBe(200);
  expect(((await me.json()) as { role: string }).role).toBe('operator');
  await expect(async () => {
    await page.reload();
    await expect(page.locator('[data-name="CI deploys"]').getByTestId('key-last-used')).not.toHaveText('Never', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  // Revoke: cancelling keeps it; confirming removes it and the key stops working.
  await page.locator('[data-name="CI deploys"]').getByTestId('revoke-key').click();
  const confirm = page.getByTestId('revoke-key-dialog');
  await expect(confirm).toContainText('CI deploys');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-name="CI deploys"]')).toBeVisible();
  await page.locator('[data-name="CI deploys"]').getByTestId('revoke-key').click();
  await confirm.getByTestId('confirm-revoke').click();
  await expect(page.getByTestId('toast-success')).toContainText('revoked');
  await expect(page.locator('[data-name="CI deploys"]')).toHaveCount(0);
  expect((await gateway('/v1/me', key)).status).toBe(401);
});
