'use client';
import type { InstallationDetail } from '@weft/workflow-schema';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { ErrorNote } from '../EmptyState';

type Side = 'ours' | 'theirs';
const show = (v: unknown) => (v === undefined ? '(removed)' : typeof v === 'string' ? v : JSON.stringify(v));

/** What the new template version changes, node by node and field by field. */
function UpgradeDiff({ upgrade }: { upgrade: NonNullable<InstallationDetail['upgrade']> }) {
  const { diff } = upgrade;
  return (
    <ul className="upgrade-diff" data-testid="upgrade-diff">
      {diff.nodes.added.map((n) => <li key={`a-${n.id}`}>Adds node <code>{n.id}</code></li>)}
      {diff.nodes.removed.map((n) => <li key={`r-${n.id}`}>Removes node <code>{n.id}</code></li>)}
      {diff.nodes.changed.map((n) => (
        <li key={`c-${n.id}`}>Changes <code>{n.id}</code>: {n.fields.map((c) => c.path).join(', ')}</li>
      ))}
      {diff.edges.added.length + diff.edges.removed.length > 0 && <li>{diff.edges.added.length} connection(s) added, {diff.edges.removed.length} removed</li>}
      {diff.settings.length > 0 && <li>Settings: {diff.settings.map((c) => c.path).join(', ')}</li>}
    </ul>
  );
}

/**
 * On the page of a workflow installed from a template: the pinned version, and when a newer one
 * is public, its notes, its diff and the conflicts with the user's edits, each resolved by
 * choosing a side before upgrading (three-way merge on the server).
 */
export function TemplateUpgrade({ workflowId, onUpgraded }: { workflowId: string; onUpgraded?: () => void }) {
  const [installation, setInstallation] = useState<InstallationDetail | null>(null);
  const [choices, setChoices] = useState<Record<string, Side>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const page = await api.listInstallations({ workflowId, limit: 1 });
    setInstallation(page.items[0] ? await api.getInstallation(page.items[0].id) : null);
  }, [workflowId]);
  useEffect(() => {
    load().catch((err) => setError(errorMessage(err)));
  }, [load]);

  if (!installation) return error ? <ErrorNote message={`The installation could not be loaded: ${error}`} /> : null;
  const { upgrade } = installation;
  const unresolved = upgrade ? upgrade.conflicts.filter((c) => !choices[c.path]).length : 0;

  async function submit() {
    if (!installation || !upgrade) return;
    setBusy(true);
    setError(null);
    try {
      const after = await api.upgradeInstallation(installation.id, { version: upgrade.version, resolutions: choices });
      setDone(`Upgraded to version ${after.version}: published as the workflow's next version, with your credential mapping.`);
      setChoices({});
      setInstallation(after);
      onUpgraded?.();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" data-testid="installation">
      <h2>Template</h2>
      <p>
        Installed from <Link href={`/templates/${installation.templateSlug}`}>{installation.templateName}</Link>, version <strong data-testid="installation-version">{installation.version}</strong>
        {upgrade ? '.' : ' (the newest).'}
      </p>
      {done && <p className="muted" role="status" data-testid="upgrade-done">{done}</p>}
      <ErrorNote message={error} />
      {upgrade && (
        <div data-testid="installation-upgrade">
          <h3>Version {upgrade.version} is available</h3>
          {upgrade.notes && <p className="muted">{upgrade.notes}</p>}
          <UpgradeDiff upgrade={upgrade} />
          {upgrade.newCredentials.length > 0 && <p className="muted">This version needs new credentials: {upgrade.newCredentials.join(', ')} (upgrade through the API with their mapping).</p>}
          {upgrade.conflicts.length > 0 && (
            <fieldset className="upgrade-conflicts">
              <legend>Your edits and the new version both changed these fields: choose a side for each</legend>
              {upgrade.conflicts.map((c) => (
                <div key={c.path} className="upgrade-conflict" data-testid="upgrade-conflict" data-path={c.path}>
                  <code>{c.path}</code>
                  <label>
                    <input type="radio" name={c.path} checked={choices[c.path] === 'ours'} onChange={() => setChoices({ ...choices, [c.path]: 'ours' })} data-testid="conflict-ours" />
                    Keep mine: <code>{show(c.ours)}</code>
                  </label>
                  <label>
                    <input type="radio" name={c.path} checked={choices[c.path] === 'theirs'} onChange={() => setChoices({ ...choices, [c.path]: 'theirs' })} data-testid="conflict-theirs" />
                    Take version {upgrade.version}: <code>{show(c.theirs)}</code>
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          <button type="button" className="btn btn-primary" disabled={busy || unresolved > 0 || upgrade.newCredentials.length > 0} onClick={submit} data-testid="upgrade-submit">
            {unresolved > 0 ? `Resolve ${unresolved} conflict(s) to upgrade` : `Upgrade to version ${upgrade.version}`}
          </button>
        </div>
      )}
    </section>
  );
}
