'use client';
import type { Secret } from '@weft/workflow-schema';

/** How one credential slot is filled: an existing secret of the org, or a new one made on install. */
export type SlotChoice = { mode: 'existing'; secret: string } | { mode: 'new'; secret: string; value: string };

const NEW = '__new__';

/** One credential slot: what it is, and a secret picker with "New secret…" (name + write-only value). */
export function SlotField({ slot, secrets, choice, onChange }: { slot: { name: string; description: string; kind: string }; secrets: Secret[]; choice: SlotChoice; onChange: (c: SlotChoice) => void }) {
  return (
    <div className="slot" data-testid={`slot-${slot.name}`}>
      <label className="field">
        <span className="field-label">
          <code>{slot.name}</code> <span className="badge">{slot.kind}</span>
        </span>
        {slot.description && <span className="field-help">{slot.description}</span>}
        <select
          className="input"
          value={choice.mode === 'new' ? NEW : choice.secret}
          onChange={(e) => onChange(e.target.value === NEW ? { mode: 'new', secret: slot.name, value: '' } : { mode: 'existing', secret: e.target.value })}
          data-testid={`slot-select-${slot.name}`}
        >
          {secrets.map((s) => (
            <option key={s.name} value={s.name}>{s.name}</option>
          ))}
          <option value={NEW}>New secret…</option>
        </select>
      </label>
      {choice.mode === 'new' && (
        <div className="slot-new">
          <label className="field">
            <span className="field-label">New secret's name</span>
            <input className="input mono" required pattern="[A-Z_][A-Z0-9_]{0,63}" title="Capital letters, digits and underscores" value={choice.secret} onChange={(e) => onChange({ ...choice, secret: e.target.value })} data-testid={`slot-new-name-${slot.name}`} />
          </label>
          <label className="field">
            <span className="field-label">Value</span>
            <input className="input" type="password" required autoComplete="off" value={choice.value} onChange={(e) => onChange({ ...choice, value: e.target.value })} data-testid={`slot-new-value-${slot.name}`} />
            <span className="field-help">Stored encrypted in your org; it is never shown again.</span>
          </label>
        </div>
      )}
    </div>
  );
}
