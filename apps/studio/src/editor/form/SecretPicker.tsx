'use client';
import { KeyRound } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { secretNames } from '../../lib/templates';
import { useEditor } from '../store';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Inserts `{{ secrets.NAME }}`: pick a name this workflow already uses or type a new one. Names
 * only: a secret's value is resolved by the executor and never shown here.
 */
export function SecretPicker({ onPick }: { onPick(name: string): void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const names = open ? secretNames(useEditor.getState().nodes) : [];
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);
  const pick = (n: string) => {
    onPick(n);
    setOpen(false);
    setName('');
  };
  return (
    <div className="secret-picker" ref={ref}>
      <button type="button" className="icon-btn secret-btn" aria-label="Insert a secret" title="Insert a secret ({{ secrets.NAME }})" aria-expanded={open} onClick={() => setOpen(!open)}>
        <KeyRound size={14} />
      </button>
      {open && (
        <div className="secret-menu" role="dialog" aria-label="Secrets" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}>
          {names.length > 0 && (
            <ul role="listbox" aria-label="Secrets used in this workflow">
              {names.map((n) => (
                <li key={n}>
                  <button type="button" className="menu-item mono" onClick={() => pick(n)}>
                    {n}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (NAME_RE.test(name)) pick(name);
            }}
          >
            <input className="input mono" autoFocus placeholder="SECRET_NAME" aria-label="Secret name" value={name} onChange={(e) => setName(e.target.value.trim())} aria-invalid={name !== '' && !NAME_RE.test(name)} />
            <p className="field-help">Values are set on the server and never shown here.</p>
          </form>
        </div>
      )}
    </div>
  );
}
