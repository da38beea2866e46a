'use client';
import { ChevronDown, FileJson } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { STARTERS, type Starter } from '../lib/starters';

/** "From a template": the starter workflows in a menu at the top of the home page (not below every workflow). */
export function StarterMenu({ onPick }: { onPick(s: Starter): void }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="starter-menu" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="from-template">
        <FileJson size={14} /> From a template <ChevronDown size={12} />
      </button>
      {open && (
        <div role="menu" className="starter-menu-list">
          {STARTERS.map((s) => (
            <button key={s.key} role="menuitem" type="button" className="starter" onClick={() => (setOpen(false), onPick(s))} data-testid={`starter-${s.key}`}>
              <strong>{s.name}</strong>
              <span className="muted">{s.description}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
