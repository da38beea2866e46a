'use client';
import { ORG_COOKIE } from '@weft/ui/server/session-forwarding';
import type { Me, Secret, Workflow } from '@weft/workflow-schema';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../lib/api';
import { referralSource } from '../../lib/gallery/query';
import { RunNowForm } from '../workflows/RunNowForm';
import { SlotField, type SlotChoice } from './SlotField';

export interface InstallableTemplate {
  id: string;
  slug: string;
  name: string;
  credentials: Array<{ name: string; description: string; kind: string }>;
}

/** Acts in another org: the proxy reads the org cookie; the page reloads with the dialog open. */
function pickOrg(slug: string) {
  document.cookie = `${ORG_COOKIE}=${encodeURIComponent(slug)}; path=/; samesite=lax; max-age=${60 * 60 * 24 * 365}`;
  window.location.reload();
}

/**
 * Installs a template into the signed-in user's org: the org, the workflow's name, and for each
 * credential slot an existing secret of the org or a new one made here (its value is sent once,
 * never shown again). Then offers a first run with the trigger's inputs form.
 */
export function InstallDialog({ template, me, onClose }: { template: InstallableTemplate; me: Me; onClose: () => void }) {
  const [secrets, setSecrets] = useState<Secret[] | null>(null);
  const [choices, setChoices] = useState<Record<string, SlotChoice>>({});
  const [name, setName] = useState(template.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [installed, setInstalled] = useState<Workflow | null>(null);

  useEffect(() => {
    api.listSecrets({ limit: 200 }).then(
      (p) => {
        setSecrets(p.items);
        const names = new Set(p.items.map((s) => s.name));
        // A secret named like the slot is the likely match; otherwise a new one of that name.
        setChoices(Object.fromEntries(template.credentials.map((c) => [c.name, names.has(c.name) ? { mode: 'existing', secret: c.name } : { mode: 'new', secret: c.name, value: '' }])));
      },
      (err) => setError(`Your secrets could not be read: ${errorMessage(err)}`),
    );
  }, [template.credentials]);

  const install = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      for (const [slot, c] of Object.entries(choices)) {
        if (c.mode === 'new') await api.createSecret({ name: c.secret, value: c.value, description: `${template.name}: ${slot}` });
      }
      const source = referralSource(new URLSearchParams(window.location.search).get('ref'), document.referrer, window.location.hostname);
      const credentials = Object.fromEntries(Object.entries(choices).map(([slot, c]) => [slot, c.secret]));
      const inst = await api.installTemplate({ templateId: template.id, credentials, name, source });
      // What was created is now an existing secret (a retry after a failed install must not create it again).
      setChoices(Object.fromEntries(Object.entries(choices).map(([slot, c]) => [slot, { mode: 'existing', secret: c.secret }])));
      setInstalled(await api.getWorkflow(inst.workflowId));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card install-dialog" role="dialog" aria-modal="false" aria-labelledby="install-h" data-testid="install-dialog">
      <h2 id="install-h">Add “{template.name}” to your workspace</h2>
      {installed ? (
        <div data-testid="installed">
          <p className="notice">
            Installed as <strong>{installed.name}</strong> (version {installed.latestVersion}, published). <Link href={`/runs?workflowId=${installed.id}`}>Its runs</Link> ·{' '}
            <Link href="/workflows">Workflows</Link>
          </p>
          <h3 className="small">First run</h3>
          <RunNowForm workflow={installed} onClose={onClose} />
        </div>
      ) : (
        <form onSubmit={(e) => void install(e)}>
          <label className="field">
            <span className="field-label">Organization</span>
            <select className="input" value={me.org.slug} onChange={(e) => pickOrg(e.target.value)} data-testid="install-org">
              {(me.orgs ?? [me.org]).map((o) => (
                <option key={o.id} value={o.slug}>{o.name}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Workflow name</span>
            <input className="input" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-testid="install-name" />
          </label>
          {template.credentials.length > 0 && (
            <fieldset className="slots">
              <legend className="field-label">Credentials</legend>
              {secrets === null && !error && <p className="muted">Reading your secrets…</p>}
              {secrets &&
                template.credentials.map((slot) => (
                  <SlotField key={slot.name} slot={slot} secrets={secrets} choice={choices[slot.name]!} onChange={(c) => setChoices({ ...choices, [slot.name]: c })} />
                ))}
            </fieldset>
          )}
          {error && <p className="error-note" role="alert" data-testid="install-error">{error}</p>}
          <div className="row">
            <button type="button" className="btn" onClick={onClose}>Cancel</button>
            <button type="submit" className="btn btn-primary" disabled={busy || (template.credentials.length > 0 && secrets === null)} data-testid="install-submit">
              {busy ? 'Installing…' : 'Install'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
