'use client';
import type { ManagedTemplate, TemplateCheck } from '@weft/workflow-schema';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { api } from '../../lib/api';
import { problemText, useSubmit } from '../../lib/use-submit';
import { useEditor } from '../store';
import { CheckReport } from './CheckReport';
import { publishBody, slotDescriptions, slugify } from './publish-form';

type Slots = Record<string, { description: string; kind: string }>;

/**
 * "Publish as template": the gallery's fields for the workflow's newest published version, its
 * credential slots (one per secret it reads) with a description and kind, the pre-publish checks
 * (run on open and on demand) and, when nothing is refused, submission for review.
 */
export function PublishTemplateDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const workflowId = useEditor((s) => s.workflowId);
  const workflowName = useEditor((s) => s.name);
  const [versionId, setVersionId] = useState<string | null | undefined>(undefined);
  const [fields, setFields] = useState({ name: workflowName, slug: slugify(workflowName), summary: '', readme: '', tags: '', category: '' });
  const [slots, setSlots] = useState<Slots>({});
  const [check, setCheck] = useState<TemplateCheck | null>(null);
  const [orgSecrets, setOrgSecrets] = useState<Set<string> | null>(null);
  const [submitted, setSubmitted] = useState<ManagedTemplate | null>(null);
  const { busy, error, setError, run } = useSubmit();

  const runCheck = useCallback(async (id: string, described: Slots) => {
    try {
      const c = await api.checkTemplate({ workflowVersionId: id, credentials: slotDescriptions(described) });
      setCheck(c);
      setSlots(Object.fromEntries(c.credentials.map((s) => [s.name, described[s.name] ?? { description: s.description, kind: s.kind === 'secret' ? '' : s.kind }])));
    } catch (err) {
      setError(problemText(err));
    }
  }, [setError]);

  useEffect(() => {
    if (!open) return;
    setSubmitted(null);
    setError(null);
    void (async () => {
      try {
        const versions = await api.listVersions(workflowId);
        const latest = versions.items.reduce<(typeof versions.items)[number] | null>((a, b) => (!a || b.version > a.version ? b : a), null);
        setVersionId(latest?.id ?? null);
        if (latest) await runCheck(latest.id, {});
        api.listSecrets({ limit: 200 }).then((p) => setOrgSecrets(new Set(p.items.map((s) => s.name))), () => setOrgSecrets(null));
      } catch (err) {
        setError(problemText(err));
      }
    })();
  }, [open, workflowId, runCheck, setError]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!versionId) return;
    void run(async () => {
      const created = await api.publishTemplate(publishBody({ workflowVersionId: versionId, ...fields, slots }));
      setSubmitted(await api.submitTemplate(created.id));
    });
  };
  const set = (k: keyof typeof fields) => (e: { target: { value: string } }) => setFields({ ...fields, [k]: e.target.value });
  const refused = (check?.errors.length ?? 0) > 0;

  return (
    <Dialog title="Publish as template" open={open} onClose={onClose} width={640} testId="publish-template-dialog"
      footer={!submitted && versionId ? (
        <button type="submit" form="publish-template-form" className="btn btn-primary" disabled={busy || !check || refused} data-testid="submit-template">
          Submit for review
        </button>
      ) : undefined}
      cancel={!submitted}
    >
      {submitted ? (
        <p className="notice" data-testid="template-submitted">
          Submitted “{submitted.name}” (version {submitted.latestVersion}) for review: it is <strong>{submitted.status}</strong>. A moderator approves it before it appears in the public gallery.
        </p>
      ) : versionId === null ? (
        <p className="muted" data-testid="template-needs-version">Publish a version of this workflow first: a template is made from a published version.</p>
      ) : (
        <form id="publish-template-form" className="template-form" onSubmit={submit}>
          <p className="muted small">From the newest published version of this workflow. Secrets are never copied: each one it reads becomes a credential slot the installer maps to their own.</p>
          <label className="field"><span className="field-label">Name</span><input className="input" required maxLength={120} value={fields.name} onChange={set('name')} data-testid="template-name" /></label>
          <label className="field"><span className="field-label">Slug (its URL)</span><input className="input mono" required pattern="[a-z0-9](?:[a-z0-9\-]{0,62}[a-z0-9])?" value={fields.slug} onChange={set('slug')} data-testid="template-slug" /></label>
          <label className="field"><span className="field-label">Summary</span><input className="input" required maxLength={300} value={fields.summary} onChange={set('summary')} data-testid="template-summary" /></label>
          <label className="field"><span className="field-label">Readme (Markdown)</span><textarea className="textarea" rows={5} value={fields.readme} onChange={set('readme')} data-testid="template-readme" /></label>
          <div className="template-form-row">
            <label className="field"><span className="field-label">Tags (comma-separated)</span><input className="input" value={fields.tags} onChange={set('tags')} data-testid="template-tags" /></label>
            <label className="field"><span className="field-label">Category</span><input className="input" placeholder="general" value={fields.category} onChange={set('category')} data-testid="template-category" /></label>
          </div>
          {Object.keys(slots).length > 0 && (
            <fieldset className="template-slots">
              <legend className="field-label">Credential slots</legend>
              {Object.entries(slots).map(([name, s]) => (
                <div key={name} className="template-form-row" data-testid={`template-slot-${name}`}>
                  <label className="field"><span className="field-label mono">{name}: description</span>
                    <input className="input" value={s.description} placeholder="e.g. Slack bot token with chat:write" onChange={(e) => setSlots({ ...slots, [name]: { ...s, description: e.target.value } })} data-testid={`slot-description-${name}`} />
                  </label>
                  <label className="field"><span className="field-label">kind</span>
                    <input className="input mono" value={s.kind} placeholder="api_key" pattern="[a-z0-9_]{1,64}" onChange={(e) => setSlots({ ...slots, [name]: { ...s, kind: e.target.value } })} data-testid={`slot-kind-${name}`} />
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          <div className="template-check-head">
            <strong>Pre-publish checks</strong>
            <button type="button" className="btn btn-sm" disabled={!versionId} onClick={() => versionId && void runCheck(versionId, slots)} data-testid="run-checks">Check again</button>
          </div>
          {check ? <CheckReport check={check} orgSecrets={orgSecrets} /> : <p className="muted">Checking…</p>}
        </form>
      )}
      {error && <p className="field-error" role="alert" data-testid="template-error">{error}</p>}
    </Dialog>
  );
}
