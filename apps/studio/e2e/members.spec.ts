import { expect, test } from './support/fixtures';
import { signIn } from './support/sign-in';

test.use({ signedIn: false });

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

  // No admin things: the members page lists without invite, role or delete controls; API keys are refused.
  await page.goto('/members');
  await expect(page.getByTestId('member-list')).toBeVisible();
  await expect(page.getByTestId('member').filter({ hasText: email })).toBeVisible();
  await expect(page.getByTestId('member-role-badge').first()).toBeVisible();
  await expect(page.getByTestId('member-role')).toHaveCount(0);
  await expect(page.getByTestId('remove-member')).toHaveCount(0);
  await expect(page.getByTestId('invite-member')).toHaveCount(0);
  await expect(page.getByTestId('delete-org')).toHaveCount(0);
  await page.goto('/keys');
  await expect(page.getByText(/keys:manage/)).toBeVisible();
  await page.goto('/');

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
