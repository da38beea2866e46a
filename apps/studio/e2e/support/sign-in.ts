import { expect, type Page } from '@playwright/test';

/** Signs in through the studio's sign-in page and the development mailbox (the newest message to `email` holds the link). */
export async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('check-mailbox')).toBeVisible();
  await page.goto(`${process.env.WEFT_API_URL}/dev/mailbox`);
  await page.locator('article', { hasText: email }).first().getByRole('link').click();
  await expect(page.getByTestId('account-email')).toContainText(email);
}
