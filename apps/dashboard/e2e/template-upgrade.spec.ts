import type { WeftClient } from '@weft/sdk';
import { expect, test } from './support/fixtures';

type Def = { nodes: { id: string; config: Record<string, unknown> }[] };

/** A greeter workflow definition of the creator; `hello` is the greeting template, `headers` extra request headers. */
const greeter = (hello: string, headers: Record<string, string> = {}) => ({
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'call', type: 'http_request', position: { x: 260, y: 0 }, config: { method: 'POST', url: `${process.env.ECHO_URL}/hook`, headers: { authorization: 'Bearer {{ secrets.ECHO_TOKEN }}', ...headers }, body: { hello } } },
  ],
  edges: [{ source: 'start', target: 'call' }],
});

/** Submits the template's newest version and has the platform approve and publish it. */
async function release(api: WeftClient, templateId: string) {
  await api.submitTemplate(templateId);
  await api.moderateTemplate(templateId, { action: 'approve' });
  await api.moderateTemplate(templateId, { action: 'publish' });
}

test('an installed template with a newer version: the diff, a conflict with my edit resolved, the upgrade published', async ({ page, api }) => {
  test.setTimeout(180_000);
  const tag = `upg${Date.now().toString(36)}`;
  const secret = `UPG_${tag.toUpperCase()}`;
  await api.createSecret({ name: secret, value: 'echo-token-value' });

  // The creator publishes version 1; the user installs it, mapping the slot to their secret.
  const source = await api.createWorkflow({ name: `Greeter source ${tag}`, definition: greeter('{{ input.who }}') });
  const t = await api.publishTemplate({ workflowVersionId: (await api.publishVersion(source.id)).id, slug: `greeter-${tag}`, name: `Greeter ${tag}`, summary: 'Greets someone through the echo service', credentials: { ECHO_TOKEN: { description: 'Echo token', kind: 'api_key' } } });
  await release(api, t.id);
  const inst = await api.installTemplate({ templateId: t.id, credentials: { ECHO_TOKEN: secret } });

  // The user edits the greeting of their copy.
  const installed = await api.getWorkflow(inst.workflowId);
  const draft = installed.draft as unknown as Def;
  await api.saveDraft(inst.workflowId, { ...draft, nodes: draft.nodes.map((n) => (n.id === 'call' ? { ...n, config: { ...n.config, body: { hello: 'Dear {{ input.who }}' } } } : n)) } as never);

  // The creator publishes version 2: another greeting (a conflict) and a new header (none).
  await api.saveDraft(source.id, greeter('Hi {{ input.who }}', { 'x-greeter-version': '2' }) as never);
  const v2 = await api.publishVersion(source.id);
  await api.call('POST', `/v1/templates/${t.id}/versions`, { workflowVersionId: v2.id, notes: 'A friendlier greeting' });
  await release(api, t.id);

  await page.goto(`/workflows/${inst.workflowId}`);
  await expect(page.getByTestId('installation-version')).toHaveText('1');
  const panel = page.getByTestId('installation-upgrade');
  await expect(panel).toContainText('Version 2 is available');
  await expect(panel).toContainText('A friendlier greeting');
  await expect(page.getByTestId('upgrade-diff')).toContainText('Changes call');
  await expect(page.getByTestId('upgrade-diff')).toContainText('x-greeter-version');
  const conflict = page.getByTestId('upgrade-conflict');
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toHaveAttribute('data-path', 'nodes.call.config.body.hello');
  await expect(conflict).toContainText('Dear {{ input.who }}');
  await expect(page.getByTestId('upgrade-submit')).toBeDisabled();

  await conflict.getByTestId('conflict-theirs').check();
  await page.getByTestId('upgrade-submit').click();
  await expect(page.getByTestId('upgrade-done')).toContainText('Upgraded to version 2');
  await expect(page.getByTestId('installation-version')).toHaveText('2');
  await expect(page.getByTestId('installation-upgrade')).toHaveCount(0);

  // Published as the workflow's next version: the new greeting and header, still reading the user's secret.
  const versions = await api.listVersions(inst.workflowId);
  const latest = versions.items.find((v) => v.version === 2)!.definition as unknown as Def;
  expect(latest.nodes.find((n) => n.id === 'call')!.config).toMatchObject({
    body: { hello: 'Hi {{ input.who }}' },
    headers: { authorization: `Bearer {{ secrets.${secret} }}`, 'x-greeter-version': '2' },
  });
});
