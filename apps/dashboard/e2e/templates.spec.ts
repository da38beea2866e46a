import type { WeftClient } from '@weft/sdk';
import { expect, test } from './support/fixtures';

/** A published workflow of org "default" that posts to the local echo server with the ECHO_TOKEN secret, as a template in the given status. */
async function echoTemplate(api: WeftClient, tag: string, publish: boolean) {
  const wf = await api.createWorkflow({
    name: `Echo ${tag}`,
    definition: {
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['who'], properties: { who: { type: 'string', description: 'Whom to greet' } } } } },
        { id: 'call', type: 'http_request', name: 'Post greeting', position: { x: 260, y: 0 }, config: { method: 'POST', url: `${process.env.ECHO_URL}/hook`, headers: { authorization: 'Bearer {{ secrets.ECHO_TOKEN }}' }, body: { hello: '{{ input.who }}' } } },
      ],
      edges: [{ source: 'start', target: 'call' }],
    },
  });
  const version = await api.publishVersion(wf.id);
  const t = await api.publishTemplate({
    workflowVersionId: version.id,
    slug: `echo-${tag}`,
    name: `Greeter ${tag}`,
    summary: `Greets someone through the echo service (${tag})`,
    readme: `# Greeter\n\nSays **hello** to whoever you name.\n\n<script>window.pwned = true</script>\n\n[docs](https://example.com/docs)`,
    tags: ['demo', 'greeting'],
    category: 'demo',
    credentials: { ECHO_TOKEN: { description: 'Token of the echo service', kind: 'api_key' } },
  });
  await api.submitTemplate(t.id);
  if (publish) {
    await api.moderateTemplate(t.id, { action: 'approve' });
    await api.moderateTemplate(t.id, { action: 'publish' });
  }
  return t;
}

test.describe('signed out', () => {
  test.use({ signedIn: false });

  test('the gallery, a template page and a creator profile are server-rendered for anyone, with canonical and Open Graph tags', async ({ api, request }) => {
    const tag = `ssr${Date.now().toString(36)}`;
    const t = await echoTemplate(api, tag, true);
    // Plain HTTP, no browser, no cookie: the HTML itself carries the content.
    const gallery = await request.get(`/templates?q=${tag}`);
    expect(gallery.status()).toBe(200);
    expect(await gallery.text()).toContain(`Greeter ${tag}`);
    const page = await (await request.get(`/templates/${t.slug}`)).text();
    expect(page).toContain(`<h1>Greeter ${tag}</h1>`);
    expect(page).toContain('<strong>hello</strong>');
    expect(page).toContain('Token of the echo service');
    expect(page).toMatch(new RegExp(`<link rel="canonical" href="[^"]*/templates/${t.slug}"`));
    expect(page).toMatch(/<meta property="og:title" content="Greeter [^"]* · Weft template"/);
    // The readme's raw HTML is dropped, never injected.
    expect(page).not.toContain('<script>window.pwned');
    const profile = await request.get('/@default');
    expect(profile.status()).toBe(200);
    expect(await profile.text()).toContain(`Greeter ${tag}`);
    expect((await request.get('/templates/no-such-template')).status()).toBe(404);
  });

  test('discover → open → sign in → install with a new secret → first run succeeds, seen in the dashboard', async ({ page, api }) => {
    test.setTimeout(240_000);
    const tag = `fun${Date.now().toString(36)}`;
    const t = await echoTemplate(api, tag, true);
    const email = `e2e-installer-${tag}@example.com`;

    await page.goto('/templates');
    await page.getByTestId('gallery-q').fill(tag);
    await page.getByTestId('gallery-submit').click();
    const card = page.getByTestId('template-card').filter({ hasText: `Greeter ${tag}` });
    await expect(card).toHaveCount(1);
    await card.getByRole('link', { name: `Greeter ${tag}` }).click();
    await expect(page).toHaveURL(new RegExp(`/templates/${t.slug}\\?ref=search$`));
    await expect(page.getByTestId('template-graph').locator('.react-flow__node')).toHaveCount(2);
    await expect(page.getByTestId('template-credentials')).toContainText('ECHO_TOKEN');
    await expect(page.getByTestId('template-domains')).toContainText('127.0.0.1');
    expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();

    // Signed out: "Add to my workspace" signs in first, then comes back with the dialog open.
    await page.getByTestId('install').click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.getByTestId('sign-in-email').fill(email);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('dev-mailbox-link').click();
    await page.locator('article', { hasText: email }).first().getByRole('link').click();
    // The link lands on the dashboard's home, which goes back to the template once it has loaded (slow on a busy machine).
    await expect(page).toHaveURL(new RegExp(`/templates/${t.slug}\\?.*install=1`), { timeout: 60_000 });
    const dialog = page.getByTestId('install-dialog');
    await expect(dialog).toBeVisible({ timeout: 30_000 });

    // The new user's org has no secret yet: the slot makes one in the dialog (value write-only).
    await expect(dialog.getByTestId('slot-select-ECHO_TOKEN')).toHaveValue('__new__');
    await expect(dialog.getByTestId('slot-new-value-ECHO_TOKEN')).toHaveAttribute('type', 'password');
    await dialog.getByTestId('slot-new-value-ECHO_TOKEN').fill('installer-token-123');
    await dialog.getByTestId('install-name').fill(`My greeter ${tag}`);
    await dialog.getByTestId('install-submit').click();
    await expect(dialog.getByTestId('installed')).toContainText(`My greeter ${tag}`);

    // First run with the trigger's inputs form, then the run in the dashboard.
    await dialog.getByTestId('input-who').fill('Ada');
    await dialog.getByTestId('start-run').click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect(page.locator('h1').getByTestId('status-badge')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('step-call')).toHaveAttribute('data-status', 'succeeded');

    // Installing twice gives two workflows; the template counts both installs and the view.
    await page.goto(`/templates/${t.slug}`);
    await page.getByTestId('install').click();
    await expect(page.getByTestId('slot-select-ECHO_TOKEN')).toHaveValue('ECHO_TOKEN');
    await page.getByTestId('install-submit').click();
    await expect(page.getByTestId('installed')).toBeVisible();
    const me = (await (await page.request.get('/api/weft/v1/me')).json()) as { session: { csrfToken: string } };
    const installs = (await (await page.request.get('/api/weft/v1/installations', { headers: { 'x-weft-csrf': me.session.csrfToken } })).json()) as { items: Array<{ workflowId: string; templateId: string }> };
    const mine = installs.items.filter((i) => i.templateId === t.id);
    expect(new Set(mine.map((i) => i.workflowId)).size).toBe(2);
    const stats = await api.templateStats(t.id);
    expect(stats).toMatchObject({ installs: 2, runs: 1, succeeded: 1 });
    expect(stats.views).toBeGreaterThanOrEqual(2);
    expect(stats.sources).toContainEqual(expect.objectContaining({ source: 'search', installs: 1 }));
  });
});

test('a creator submits, a moderator approves and publishes in the dashboard, and the template appears publicly', async ({ page, api, browser }) => {
  const tag = `mod${Date.now().toString(36)}`;
  await echoTemplate(api, tag, false);
  // The signed-in e2e user owns the platform org: a moderator.
  await page.goto('/templates');
  await page.getByTestId('moderation-link').click();
  await expect(page).toHaveURL(/\/moderation$/);
  const item = page.getByTestId('queued-template').filter({ hasText: `Greeter ${tag}` });
  await item.getByTestId('review').click();
  await expect(item.getByTestId('review-panel')).toContainText('ECHO_TOKEN (api_key: Token of the echo service)');
  await expect(item.getByTestId('review-panel')).toContainText('127.0.0.1');
  await item.getByTestId('approve-publish').click();
  await expect(item).toHaveCount(0);

  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(`${process.env.DASHBOARD_URL}/templates?q=${tag}`);
  await expect(visitor.getByTestId('template-card')).toContainText(`Greeter ${tag}`);
  await anonymous.close();
});

test('a moderator rejects with a reason, and the template stays out of the gallery', async ({ page, api }) => {
  const tag = `rej${Date.now().toString(36)}`;
  const t = await echoTemplate(api, tag, false);
  await page.goto('/moderation');
  const item = page.getByTestId('queued-template').filter({ hasText: `Greeter ${tag}` });
  await item.getByTestId('review').click();
  await expect(item.getByTestId('reject')).toBeDisabled();
  await item.getByTestId('reject-reason').fill('Needs a clearer readme');
  await item.getByTestId('reject').click();
  await expect(item).toHaveCount(0);
  expect((await page.request.get(`/templates/${t.slug}`)).status()).toBe(404);
  const rejected = await api.moderationQueue({ status: 'rejected', limit: 200 });
  expect(rejected.items.find((x) => x.id === t.id)?.rejectionReason).toBe('Needs a clearer readme');
});
