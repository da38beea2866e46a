'use client';
import type { Secret } from '@weft/workflow-schema';
import Link from 'next/link';
import { useState } from 'react';
import { api, errorMessage } from '../lib/api';
import { when } from '../lib/format';
import { usePage } from '../lib/use-page';
import { ConfirmButton } from './ConfirmButton';
import { EmptyState, ErrorNote } from './EmptyState';
import { PageHeader } from './PageHeader';
import { SecretForm } from './secrets/SecretForm';

/**
 * The org's secrets: names, versions, descriptions and the workflow that last used each (values
 * are write-only: typed once, never shown again). Create, give a new value (a new version), delete.
 */
export function SecretList() {
  const { items: secrets, error, reload } = usePage(() => api.listSecrets({ limit: 200 }));
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [rotating, setRotating] = useState<string | null>(null);
  const done = async (message: string) => {
    setNotice(message);
    setActionError(null);
    setRotating(null);
    await reload();
  };
  const remove = async (s: Secret) => {
    try {
      await api.deleteSecret(s.name);
      await done(`Deleted ${s.name}. Steps that use it now fail with secret_not_found.`);
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  return (
    <>
      <PageHeader title="Secrets" sub="Encrypted values your workflows use by name. Values are write-only: nobody reads them back." />
      <ErrorNote message={error ?? actionError} />
      {notice && <p className="notice" role="status" data-testid="secrets-notice">{notice}</p>}
      <details className="card create-card">
        <summary>New secret</summary>
        <SecretForm mode="create" onSaved={(s) => done(`Created ${s.name} (version ${s.version}). Use it as {{ secrets.${s.name} }}.`)} />
      </details>
      {secrets?.length === 0 && (
        <EmptyState title="No secrets yet">
          Open <strong>New secret</strong> above to add one (for example <code>GITHUB_TOKEN</code>); workflows then read it as <code>{'{{ secrets.NAME }}'}</code> in HTTP requests, functions and integrations.
        </EmptyState>
      )}
      {!!secrets?.length && (
        <table className="table" data-testid="secrets-table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Description</th><th scope="col">Last used by</th><th scope="col">Updated</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {secrets.map((s) => (
              <tr key={s.id} data-testid="secret-row" data-name={s.name}>
                <td className="mono">{s.name}</td>
                <td data-testid="secret-version">v{s.version}</td>
                <td>{s.description}</td>
                <td data-testid="secret-last-used">
                  {s.lastUsed ? (
                    <>
                      {s.lastUsed.workflowId ? <Link href={`/workflows/${s.lastUsed.workflowId}`}>{s.lastUsed.workflowName ?? s.lastUsed.workflowId}</Link> : 'a deleted workflow'}
                      <div className="small muted">
                        <Link href={`/runs/${s.lastUsed.runId}`}>{when(s.lastUsed.at)}</Link>, v{s.lastUsed.version}
                      </div>
                    </>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td>{when(s.updatedAt)}</td>
                <td>
                  {rotating === s.name ? (
                    <SecretForm mode="rotate" name={s.name} onSaved={(u) => done(`${u.name} is now version ${u.version}. Runs that start from now on use it.`)} onCancel={() => setRotating(null)} />
                  ) : (
                    <div className="row-buttons">
                      <button type="button" className="btn btn-sm" onClick={() => setRotating(s.name)} data-testid="secret-rotate">New version</button>
                      <ConfirmButton label="Delete" confirm={`Delete ${s.name}?`} onConfirm={() => remove(s)} testId="secret-delete" />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
