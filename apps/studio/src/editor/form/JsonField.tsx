'use client';
import { useEffect, useState } from 'react';

interface Props {
  id: string;
  value: unknown;
  onChange(value: unknown): void;
  invalid?: boolean;
  describedBy?: string;
  rows?: number;
}

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));

/** A JSON value edited as text; it is applied only while it parses (an error says why not). */
export function JsonField({ id, value, onChange, invalid, describedBy, rows = 4 }: Props) {
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  // Follow outside changes (undo, import) without fighting the user's own typing.
  useEffect(() => {
    setText((t) => {
      try {
        return JSON.stringify(t.trim() ? JSON.parse(t) : undefined) === JSON.stringify(value) ? t : show(value);
      } catch {
        return t;
      }
    });
  }, [value]);
  return (
    <>
      <textarea
        id={id}
        className="textarea"
        rows={rows}
        spellCheck={false}
        value={text}
        placeholder="JSON, e.g. { &quot;key&quot;: &quot;{{ input.value }}&quot; }"
        aria-invalid={Boolean(error) || invalid || undefined}
        aria-describedby={[describedBy, error ? `${id}-json` : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setError(null);
            return onChange(undefined);
          }
          try {
            const parsed: unknown = JSON.parse(e.target.value);
            setError(null);
            onChange(parsed);
          } catch (err) {
            setError(`Not valid JSON yet: ${(err as Error).message}`);
          }
        }}
      />
      {error && (
        <span className="field-error" id={`${id}-json`}>
          {error}
        </span>
      )}
    </>
  );
}
