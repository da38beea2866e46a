'use client';
import { createContext, useContext, useId, useRef, useState, type KeyboardEvent } from 'react';
import { SecretPicker } from './SecretPicker';
import { expressionToken, rank, templateToken, type Completion, type Suggestion } from '../../lib/templates';

/** Gives the paths the edited node may reference (computed on demand, so typing elsewhere costs nothing). */
export const SuggestionsContext = createContext<() => Suggestion[]>(() => []);

/** True where text fields take plain values (run inputs), not templates. */
export const PlainTextContext = createContext(false);

interface Props {
  id: string;
  value: string;
  onChange(value: string): void;
  /** `template`: completes inside `{{ }}`; `expression`: the whole field is JMESPath. */
  mode: 'template' | 'expression';
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  multiline?: boolean;
  label?: string;
  /** Hides the secret picker (e.g. in a row that has no room for it). */
  noSecrets?: boolean;
}

/** A text field with `{{ }}` / JMESPath completion of upstream outputs (↑↓ to pick, Enter or Tab to insert). */
export function TemplateInput({ id, value, onChange, mode, placeholder, invalid, describedBy, multiline, label, noSecrets }: Props) {
  const suggestions = useContext(SuggestionsContext);
  const listId = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<{ token: Completion; items: Suggestion[] } | null>(null);
  const [active, setActive] = useState(0);

  const refresh = (text: string, caret: number, force = false) => {
    const token = mode === 'template' ? templateToken(text, caret) : (expressionToken(text, caret) ?? (force ? { from: caret, to: caret, query: '', close: false } : null));
    // Secrets exist only in templates, never in expressions.
    const pool = mode === 'template' ? suggestions() : suggestions().filter((x) => x.source !== 'secret');
    const items = token ? rank(pool, token.query) : [];
    setOpen(token && items.length ? { token, items } : null);
    setActive(0);
  };

  const accept = (s: Suggestion) => {
    if (!open) return;
    const { from, to, close } = open.token;
    const insert = close ? `${s.path} }}` : s.path;
    const next = value.slice(0, from) + insert + value.slice(to);
    onChange(next);
    setOpen(null);
    const caret = from + insert.length;
    requestAnimationFrame(() => ref.current?.setSelectionRange(caret, caret));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      return refresh(value, ref.current?.selectionStart ?? value.length, true);
    }
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = open.items.length;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(open.items[active]!);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(null);
    }
  };

  const common = {
    id,
    ref,
    value,
    placeholder,
    spellCheck: false,
    autoComplete: 'off',
    role: 'combobox',
    'aria-label': label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
    'aria-expanded': Boolean(open),
    'aria-controls': listId,
    'aria-autocomplete': 'list' as const,
    'aria-activedescendant': open ? `${listId}-${active}` : undefined,
    onKeyDown,
    onBlur: () => setTimeout(() => setOpen(null), 120),
    onChange: (e: { target: HTMLInputElement | HTMLTextAreaElement }) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart ?? e.target.value.length);
    },
  };

  const insertSecret = (name: string) => {
    const el = ref.current;
    const at = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? at;
    const text = `{{ secrets.${name} }}`;
    onChange(value.slice(0, at) + text + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };

  return (
    <div className={mode === 'template' && !noSecrets ? 'completion with-secrets' : 'completion'}>
      {mode === 'template' && !noSecrets && <SecretPicker onPick={insertSecret} />}
      {multiline ? <textarea className="textarea" rows={3} {...common} /> : <input className={`input${mode === 'expression' ? ' mono' : ''}`} {...common} />}
      {open && (
        <ul className="completion-list" id={listId} role="listbox" data-testid="completion-list">
          {open.items.map((s, i) => (
            <li
              key={s.path}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="completion-item"
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="mono">{s.path}</span>
              <span className={`completion-detail completion-${s.source}`}>{s.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
