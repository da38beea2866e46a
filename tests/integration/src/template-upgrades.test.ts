import { WeftApiError } from '@weft/sdk';
import { STARTER_TEMPLATES, type StarterTemplate } from '@weft/templates/starters';
import { seedStarterTemplates } from '@weft/templates/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

// An installation of a starter, edited by its user, meets a new version of the starter (seeded
// again with a changed definition): the upgrade shows the diff, reports the conflict, and keeps
// the credential mapping and the user's other edits once the conflict is resolved.
let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
  await p.client.createSecret({ name: 'OPS_SLACK', value: 'xoxb-good' });
});
afterAll(async () => {
  await p?.stop();
});

const v1 = STARTER_TEMPLATES.find((s) => s.slug === 'slack-alert-on-failed-http-check')!;
type Node = { id: string; type: string; config: Record<string, unknown> };
const nodesOf = (d: unknown) => (d as { nodes: Node[] }).nodes;

/** Version 2 of the starter: a new alert text (conflicts with the user's) and a longer check timeout (does not). */
const v2: StarterTemplate = {
  ...v1,
  definition: {
    ...v1.definition,
    nodes: v1.definition.nodes.map((n) =>
      n.id === 'alert' ? { ...n, config: { ...n.config, text: ':rotating_light: {{ input.url }} is down: {{ steps.check.output.message }}' } }
        : n.id === 'check' ? { ...n, config: { ...n.config, timeoutMs: 20000 } } : n),
  },
};

async function problemOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof WeftApiError) return e;
    throw e;
  }
  throw new Error('expected an API error');
}

describe('Upgrading an installed template', () => {
  it('shows the diff, refuses with the conflict paths, and upgrades keeping the mapping and the non-conflicting edits once resolved', async () => {
    await seedStarterTemplates(p.db.pool, [v1]);
    const template = await p.client.getTemplate(v1.slug);
    const inst = await p.client.installTemplate({ templateId: template.id, credentials: { SLACK_BOT_TOKEN: 'OPS_SLACK' } });
    expect((await p.client.getInstallation(inst.id)).upgrade).toBeNull();

    // The user edits the installed workflow: their own alert text, and a retry on the check.
    const wf = await p.client.getWorkflow(inst.workflowId);
    const edited = {
      ...(wf.draft as object),
      nodes: nodesOf(wf.draft).map((n) =>
        n.id === 'alert' ? { ...n, config: { ...n.config, text: 'DOWN: {{ input.url }}' } }
          : n.id === 'check' ? { ...n, config: { ...n.config, retry: { maxAttempts: 2 } } } : n),
    };
    await p.client.saveDraft(inst.workflowId, edited as never);

    expect(await seedStarterTemplates(p.db.pool, [v2])).toMatchObject({ updated: [v1.slug] });
    const offered = await p.client.getInstallation(inst.id);
    expect(offered).toMatchObject({ version: 1, templateSlug: v1.slug, upgrade: { version: 2, notes: 'Updated starter.', newCredentials: [] } });
    expect(offered.upgrade!.diff.nodes.changed.map((c) => c.id).sort()).toEqual(['alert', 'check']);
    expect(offered.upgrade!.conflicts).toEqual([{ path: 'nodes.alert.config.text', nodeId: 'alert', base: v1.definition.nodes[3]!.config!.text, ours: 'DOWN: {{ input.url }}', theirs: (v2.definition.nodes[3]!.config as { text: string }).text }]);

    const refused = await problemOf(p.client.upgradeInstallation(inst.id));
    expect(refused.status).toBe(409);
    expect(refused.issues).toEqual([expect.objectContaining({ path: 'nodes.alert.config.text', code: 'upgrade_conflict', nodeId: 'alert' })]);
    expect((await p.client.getInstallation(inst.id)).version).toBe(1);

    const bad = await problemOf(p.client.upgradeInstallation(inst.id, { resolutions: { 'nodes.alert.config.text': 'mine' as never } }));
    expect(bad.status).toBe(400);
    expect(bad.issues[0]!.path).toContain('body.resolutions');

    const upgraded = await p.client.upgradeInstallation(inst.id, { resolutions: { 'nodes.alert.config.text': 'theirs' } });
    expect(upgraded).toMatchObject({ version: 2, credentials: { SLACK_BOT_TOKEN: 'OPS_SLACK' }, upgrade: null });
    const after = await p.client.getWorkflow(inst.workflowId);
    expect(after.latestVersion).toBe(2);
    const nodes = nodesOf((await p.client.listVersions(inst.workflowId)).items.find((v) => v.version === 2)!.definition);
    const alert = nodes.find((n) => n.id === 'alert')!;
    const check = nodes.find((n) => n.id === 'check')!;
    expect(alert.config.text).toBe(':rotating_light: {{ input.url }} is down: {{ steps.check.output.message }}');
    expect(alert.config.token).toBe('{{ secrets.OPS_SLACK }}');
    expect(check.config).toMatchObject({ timeoutMs: 20000, retry: { maxAttempts: 2 } });
    expect(nodesOf(after.draft).find((n) => n.id === 'check')!.config).toMatchObject({ timeoutMs: 20000, retry: { maxAttempts: 2 } });

    const again = await problemOf(p.client.upgradeInstallation(inst.id));
    expect(again.status).toBe(409);
  });

  it('answers 404 for another org\'s installation', async () => {
    const other = await p.newOrgClient();
    const template = await p.client.getTemplate(v1.slug);
    const inst = await p.client.installTemplate({ templateId: template.id, credentials: { SLACK_BOT_TOKEN: 'OPS_SLACK' } });
    expect((await problemOf(other.getInstallation(inst.id))).status).toBe(404);
    expect((await problemOf(other.upgradeInstallation(inst.id))).status).toBe(404);
  });
});
