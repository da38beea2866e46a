'use client';

/** A labelled select over fixed values. */
export function Choice<T extends string>({ id, label, value, options, onChange }: { id: string; label: string; value: T | undefined; options: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
