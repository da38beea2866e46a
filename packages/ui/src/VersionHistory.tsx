'use client';
import type { WeftClient } from '@weft/sdk';
import type { WorkflowDiff, WorkflowVersion } from '@weft/workflow-schema';
import { History } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { WorkflowDiffView } from './WorkflowDiffView';

type Side = number | 'draft';
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const who = (v: WorkflowVersion) => (v.publishedBy ? `${v.publishedBy.type === 'user' ? 'user' : 'API key'} ${v.publishedBy.id.slice(0, 8)}` : 'unknown publisher');

interface Props {
  client: WeftClient;
  workflowId: string;
  /** Offer the draft as a side of the diff (the studio, where the draft is being edited). */
  withDraft?: boolean;
  /** Called after a rollback published a new version. */
  onRolledBack?(v: WorkflowVersion): void;
}

/**
 * A workflow's versions (who published each, when), the semantic diff between any two of them (or a
 * version and the draft), and rollback: publishing an older version again as a new one.
 */
export function VersionHistory({ client, workflowId, withDraft = false, onRolledBack }: Props) {
  const [versions, setVersions] = useState<WorkflowVersion[] | null>(null);
  const [from, setFrom] = useState<Side | null>(null);
  const [to, setTo] = useState<Side | null>(null);
  const [diff, setDiff] = useState<WorkflowDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const page = await client.listVersions(workflowId, { limit: 200 });
      setVersions(page.items);
      const [latest, previous] = page.items;
      setTo(latest ? latest.version : null);
      setFrom(previous ? previous.version : withDraft && latest ? latest.version : null);
      if (withDraft && latest && !previous) setTo('draft');
    } catch (err) {
      setError(errorText(err));
    }
  }, [client, workflowId, withDraft]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (from === null || to === null) return setDiff(null);
    let live = true;
    client.diffVersions(workflowId, from, to).then((d) => live && setDiff(d), (err) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [client, workflowId, from, to]);

  const rollback = async (version: number) => {
    setBusy(true);
    setError(null);
    try {
      const v = await client.rollbackVersion(workflowId, version);
      onRolledBack?.(v);
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (error && !versions) return <p className="field-error" role="alert">{error}</p>;
  if (!versions) return <p className="muted">Loading versions…</p>;
  if (versions.length === 0) return <p className="muted" data-testid="no-versions">No version published yet. Publish the draft to start its history.</p>;
  const sides: Side[] = [...(withDraft ? (['draft'] as const) : []), ...versions.map((v) => v.version)];
  const label = (s: Side) => (s === 'draft' ? 'the draft' : `v${s}`);
  const pick = (set: (s: Side) => void) => (e: { target: { value: string } }) => set(e.target.value === 'draft' ? 'draft' : Number(e.target.value));
  return (
    <div className="version-history" data-testid="version-history">
      {error && <p className="field-error" role="alert">{error}</p>}
      <ul className="version-list">
        {versions.map((v, i) => (
          <li key={v.id} data-testid="version-row" data-version={v.version}>
            <strong>v{v.version}</strong>
            {i === 0 && <span className="badge badge-accent">latest</span>}
            <span className="muted">{who(v)} · <time dateTime={v.createdAt}>{new Date(v.createdAt).toLocaleString()}</time></span>
            {i > 0 && (
              <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void rollback(v.version)} data-testid={`rollback-${v.version}`} title={`Publish v${v.version} again as a new version`}>
                <History size={12} aria-hidden /> Roll back to v{v.version}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="diff-pick">
        <label>
          Compare <select className="select" value={String(from ?? '')} onChange={pick(setFrom)} data-testid="diff-from" aria-label="Compare from">
            {sides.map((s) => <option key={s} value={s}>{label(s)}</option>)}
          </select>
        </label>
        <label>
          with <select className="select" value={String(to ?? '')} onChange={pick(setTo)} data-testid="diff-to" aria-label="Compare with">
            {sides.map((s) => <option key={s} value={s}>{label(s)}</option>)}
          </select>
        </label>
      </div>
      {diff ? <WorkflowDiffView diff={diff} /> : <p className="muted">Pick two versions to compare.</p>}
    </div>
  );
}
