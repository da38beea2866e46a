'use client';
import { ChevronRight } from 'lucide-react';
import { ADVANCED_FIELDS, type FieldErrors, type JSONSchema } from '../../lib/schema';
import { Field } from './Field';
import { setIn } from './values';

interface Props {
  idPrefix: string;
  schema: JSONSchema;
  value: Record<string, unknown>;
  errors: FieldErrors;
  onChange(next: Record<string, unknown>, field: string): void;
  /** Properties edited elsewhere (a for_each body is edited on the canvas). */
  hidden?: ReadonlySet<string>;
}

/** A form generated from a JSON Schema object: main fields first, retry/timeout/join folded under "Advanced". */
export function SchemaForm({ idPrefix, schema, value, errors, onChange, hidden }: Props) {
  const entries = Object.entries(schema.properties ?? {}).filter(([k]) => !hidden?.has(k));
  const main = entries.filter(([k]) => !ADVANCED_FIELDS.has(k));
  const advanced = entries.filter(([k]) => ADVANCED_FIELDS.has(k));
  const change = (path: string[], v: unknown) => onChange(setIn(value, path, v), path.join('.'));
  const render = ([k, p]: [string, JSONSchema]) => (
    <Field key={k} idPrefix={idPrefix} name={k} path={[k]} schema={p} value={value[k]} required={Boolean(schema.required?.includes(k))} errors={errors} onChange={change} />
  );
  const advancedHasError = advanced.some(([k]) => Object.keys(errors).some((e) => e === k || e.startsWith(`${k}.`)));
  return (
    <div className="schema-form">
      {main.length === 0 && advanced.length === 0 && <p className="muted">This node has nothing to configure.</p>}
      {main.map(render)}
      {advanced.length > 0 && (
        <details className="advanced" open={advancedHasError || advanced.some(([k]) => value[k] !== undefined) || undefined}>
          <summary>
            <ChevronRight size={14} className="advanced-chevron" aria-hidden /> Advanced
          </summary>
          {advanced.map(render)}
        </details>
      )}
    </div>
  );
}
