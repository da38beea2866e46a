import type { Browser, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { signIn } from './support/sign-in';

/** A second person, in a browser context of their own, signed in through the mailbox. */
async function person(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: process.env.STUDIO_URL })).newPage();
  await signIn(page, email);
  return page;
}

const row = (page: Page, email: string) => page.getByTestId('member').filter({ hasText: email });

test('the owner invites a member, changes their role and removes them; an invitation can be withdrawn; the last owner cannot leave', async ({ page, browser, api }) => {
  test.setTimeout(180_000);
  const email = `editor-${Date.now()}@example.com`;
  await page.goto('/');
  await page.getByTestId('nav-members').click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  // The signed-in owner is the org's only owner: leaving is offered disabled.
  await expect(page.getByTestId('leave-org')).toBeDisabled();

  await page.getByTestId('invite-member').click();
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-role').selectOption('editor');
  await page.getByTestId('send-invitation').click();
  await expect(page.getByTestId('invitation').filter({ hasText: email })).toBeVisible();

  // Another invitation, withdrawn: gone from the list and from the API.
  const other = `withdrawn-${Date.now()}@example.com`;
  await page.getByTestId('invite-member').click();
  await page.getByTestId('invite-email').fill(other);
  await page.getByTestId('send-invitation').click();
  await page.getByTestId('invitation').filter({ hasText: other }).getByTestId('revoke-invitation').click();
  await expect(page.getByTestId('invitation').filter({ hasText: other })).toHaveCount(0);
  expect((await api.listInvitations()).items.map((i) => i.email)).not.toContain(other);

  // The invited person signs in and joins as editor.
  const editor = await person(browser, email);
  await expect(editor.getByTestId('account-email')).toContainText('editor');
  await page.reload();
  await expect(row(page, email).getByTestId('member-role')).toHaveValue('editor');
  await expect(page.getByTestId('invitation').filter({ hasText: email })).toHaveCount(0);

  await row(page, email).getByTestId('member-role').selectOption('viewer');
  await expect(page.getByText(`${email} is now viewer`)).toBeVisible();
  expect((await api.listMembers()).items.find((m) => m.email === email)?.role).toBe('viewer');

  await row(page, email).getByTestId('remove-member').click();
  await expect(row(page, email)).toHaveCount(0);
  expect((await api.listMembers()).items.map((m) => m.email)).not.toContain(email);
  await editor.context().close();
});

test('an admin cannot grant owner nor touch an owner; a signed-in user accepts an invitation and deletes an org of their own', async ({ browser, api }) => {
  test.setTimeout(180_000);
  const email = `admin-${Date.now()}@example.com`;
  // Signed in before being invited: a personal org first, then the invitation waits on the members page.
  const admin = await person(browser, email);
  const personal = (await admin.request.get('/api/weft/v1/me').then((r) => r.json())) as { org: { slug: string; name: string } };
  await api.createInvitation({ email, role: 'admin' });
  await admin.goto('/members');
  await admin.getByTestId('my-invitation').filter({ hasText: 'Default org' }).getByTestId('accept-invitation').click();
  await expect(admin.getByTestId('account-email')).toContainText('admin');

  await admin.goto('/members');
  await expect(admin.getByTestId('member-list')).toBeVisible();
  // The owner's row is read-only to an admin, and no role above admin can be granted.
  const owner = admin.getByTestId('member').filter({ has: admin.getByTestId('member-role-badge').filter({ hasText: 'owner' }) });
  await expect(owner).toHaveCount(1);
  await expect(owner.getByTestId('remove-member')).toHaveCount(0);
  await expect(admin.getByTestId('delete-org')).toHaveCount(0);
  await admin.getByTestId('invite-member').click();
  await expect(admin.getByTestId('invite-role').locator('option[value="owner"]')).toBeDisabled();
  await expect(admin.getByTestId('invite-role').locator('option[value="admin"]')).toBeEnabled();
  await admin.getByRole('button', { name: 'Cancel' }).click();

  // Back in the personal org: its owner deletes it, typing its slug, and lands in the other org.
  await admin.goto('/');
  await admin.getByTestId('org-switcher').selectOption({ label: personal.org.name });
  await expect(admin.getByTestId('account-email')).toContainText('owner');
  await admin.goto('/members');
  await admin.getByTestId('delete-org').click();
  await expect(admin.getByTestId('confirm-delete-org')).toBeDisabled();
  await admin.getByTestId('delete-org-confirm').fill(personal.org.slug);
  await admin.getByTestId('confirm-delete-org').click();
  await expect(admin.getByTestId('account-email')).toContainText('admin');
  await expect(admin.getByTestId('org-switcher').locator('option')).toHaveCount(1);
  await admin.context().close();
});
