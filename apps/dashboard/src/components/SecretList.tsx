'use client';
import { api } from '../lib/api';
import { when } from '../lib/format';
import { usePage } from '../lib/use-page';
import { EmptyState, ErrorNote } from './EmptyState';
import { PageHeader } from './PageHeader';

/** The org's secrets: names, versions, descriptions (values are write-only and never shown). */
export function SecretList() {
  const { items: secrets, error } = usePage(() => api.listSecrets({ limit: 200 }));
  return (
    <>
      <PageHeader title="Secrets" sub="Encrypted values your workflows use by name. Values are write-only: nobody reads them back." />
      <ErrorNote message={error} />
      {secrets?.length === 0 && (
        <EmptyState title="No secrets yet">Create one with <code>POST /v1/secrets</code> or from the studio’s secret picker; workflows then use it as <code>{'{{ secrets.NAME }}'}</code>.</EmptyState>
      )}
      {!!secrets?.length && (
        <table className="table">
          <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Description</th><th scope="col">Updated</th></tr></thead>
          <tbody>
            {secrets.map((s) => (
              <tr key={s.id}><td className="mono">{s.name}</td><td>v{s.version}</td><td>{s.description}</td><td>{when(s.updatedAt)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Planned here: create, rotate and delete, and which workflows use each secret.</p>
    </>
  );
}
