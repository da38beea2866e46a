'use client';
import { KeyRound, Plus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { secretNames } from '../../lib/templates';
import { useEditor } from '../store';
import { CreateSecretForm } from './CreateSecretForm';
import { useOrgSecrets } from './use-org-secrets';

/**
 * Inserts `{{ secrets.NAME }}`: pick one of the org's secrets (GET /v1/secrets; names this workflow
 * uses that do not exist yet are marked), or create one in place. Names only: a secret's value is
 * resolved by the executor and never shown here.
 */
export function SecretPicker({ onPick }: { onPick(name: string): void }) {
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const org = useOrgSecrets(open);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);
  const close = () => (setOpen(false), setCreating(false), setFilter(''));
  const pick = (n: string) => (onPick(n), close());
  const known = org.state === 'ready' ? org.secrets : [];
  const knownNames = new Set(known.map((s) => s.name));
  const unset = open ? secretNames(useEditor.getState().nodes).filter((n) => !knownNames.has(n)) : [];
  const q = filter.trim().toUpperCase();
  const shown = known.filter((s) => !q || s.name.includes(q));
  return (
    <div className="secret-picker" ref={ref}>
      <button type="button" className="icon-btn secret-btn" aria-label="Insert a secret" title="Insert a secret ({{ secrets.NAME }})" aria-expanded={open} onClick={() => (open ? close() : setOpen(true))}>
        <KeyRound size={14} />
      </button>
      {open && (
        <div className="secret-menu" role="dialog" aria-label="Secrets" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}>
          {creating ? (
            <CreateSecretForm initialName={filter} onCreated={pick} onCancel={() => setCreating(false)} />
          ) : (
            <>
              <input className="input mono" autoFocus placeholder="Find a secret" aria-label="Find a secret" value={filter} onChange={(e) => setFilter(e.target.value)} />
              {org.state === 'loading' && <p className="field-help">Loading the organisation's secrets…</p>}
              {org.state === 'error' && <p className="field-error">Could not list secrets: {org.message}</p>}
              {org.state === 'ready' && (
                <ul aria-label="The organisation's secrets" data-testid="org-secrets">
                  {shown.map((s) => (
                    <li key={s.name}>
                      <button type="button" className="menu-item secret-item" onClick={() => pick(s.name)}>
                        <span className="mono">{s.name}</span>
                        {s.description && <span className="muted">{s.description}</span>}
                      </button>
                    </li>
                  ))}
                  {unset.map((n) => (
                    <li key={n}>
                      <button type="button" className="menu-item secret-item" onClick={() => pick(n)} title="Used in this workflow, but no secret has this name yet">
                        <span className="mono">{n}</span>
                        <span className="badge badge-warning">not set</span>
                      </button>
                    </li>
                  ))}
                  {shown.length === 0 && unset.length === 0 && <li className="field-help">{known.length ? 'No secret matches.' : 'This organisation has no secrets yet.'}</li>}
                </ul>
              )}
              <button type="button" className="btn btn-sm btn-ghost secret-new" onClick={() => setCreating(true)} data-testid="new-secret">
                <Plus size={14} /> New secret
              </button>
              <p className="field-help">Values are stored encrypted and never shown here.</p>
            </>
          )}
        </div>
      )}
    </div>
  );
}
