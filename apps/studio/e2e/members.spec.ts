import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

test.use({ signedIn: false });

/** Signs in through the studio's sign-in page and the development mailbox. */
async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('check-mailbox')).toBeVisible();
  await page.goto(`${process.env.WEFT_API_URL}/dev/mailbox`);
  await page.locator('article', { hasText: email }).first().getByRole('link').click();
  await expect(page.getByTestId('account-email')).toContainText(email);
}

test("an invited viewer sees the org's workflows, cannot change them, and switches to an org of their own", async ({ page, api }) => {
  test.setTimeout(180_000);
  const email = `viewer-${Date.now()}@example.com`;
  await api.createWorkflow({ name: 'Shared with viewers' });
  // Invited by the org's owner key; the first sign-in joins org "default" as viewer.
  const invited = await fetch(`${process.env.WEFT_API_URL}/v1/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.WEFT_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, role: 'viewer' }),
  });
  expect(invited.status).toBe(201);
  await signIn(page, email);
  await expect(page.getByTestId('account-email')).toContainText('viewer');
  await expect(page.getByText('Shared with viewers')).toBeVisible();

  // The API refuses what the role does not grant, whatever the page offers.
  await page.getByTestId('new-workflow').click();
  await page.getByTestId('new-workflow-dialog').locator('#wf-name').fill('Not allowed');
  await page.getByTestId('create-workflow').click();
  await expect(page.getByText(/workflows:write/)).toBeVisible();

  // An org of their own (created through the API with the session's CSRF token), then the switcher.
  const me = await (await page.request.get('/api/weft/v1/me')).json();
  const created = await page.request.post('/api/weft/v1/orgs', { data: { name: 'Viewer Labs' }, headers: { 'x-weft-csrf': me.session.csrfToken } });
  expect(created.status()).toBe(201);
  await page.reload();
  await page.getByTestId('org-switcher').selectOption({ label: 'Viewer Labs' });
  await expect(page.getByTestId('account-email')).toContainText('owner');
  await expect(page.getByText('No workflows yet')).toBeVisible();
  await expect(page.getByText('Shared with viewers')).toHaveCount(0);
  await page.getByTestId('org-switcher').selectOption({ label: 'Default org' });
  await expect(page.getByTestId('account-email')).toContainText('viewer');
  await expect(page.getByText('Shared with viewers')).toBeVisible();
});
