import { expect, test } from './support/fixtures';

const directives = (csp: string | undefined) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

test('the studio sends its security headers on pages and API answers, and works under its policy', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Under CSP' });
  for (const path of ['/', `/workflows/${wf.id}`, '/api/weft/v1/catalog/nodes']) {
    const res = (await page.request.get(path))!;
    const headers = res.headers();
    const csp = directives(headers['content-security-policy']);
    expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
    expect(csp.get('default-src'), path).toEqual(["'self'"]);
    expect(csp.get('object-src'), path).toEqual(["'none'"]);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
  // The pages render (the fixture fails the test on any CSP violation while they do).
  await page.goto('/');
  await expect(page.getByText('Under CSP')).toBeVisible();
});

test("the gateway's API docs page renders every operation under its own policy", async ({ page }) => {
  const res = (await page.goto(`${process.env.WEFT_API_URL}/docs/`))!;
  expect(directives(res.headers()['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
  await expect(page.locator('.opblock').first()).toBeVisible();
  expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
  await page.locator('.opblock').first().click();
  await expect(page.getByText('Try it out').first()).toBeVisible();
});
