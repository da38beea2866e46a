'use client';
import { useContext } from 'react';
import { fieldKind, type FieldErrors, type JSONSchema } from '../../lib/schema';
import { ConnectionPicker, NodeProviderContext } from './ConnectionPicker';
import { JsonField } from './JsonField';
import { RecordField } from './RecordField';
import { PlainTextContext, TemplateInput } from './TemplateInput';
import { helpText, labelOf } from './values';

export interface FieldProps {
  idPrefix: string;
  name: string;
  path: string[];
  schema: JSONSchema;
  value: unknown;
  required: boolean;
  errors: FieldErrors;
  onChange(path: string[], value: unknown): void;
}

/** One property of a config: label, the control its schema calls for, help text and its error. */
export function Field(props: FieldProps) {
  const { idPrefix, name, path, schema, value, required, errors, onChange } = props;
  const key = path.join('.');
  const id = `${idPrefix}-${key}`;
  const error = errors[key];
  const kind = fieldKind(schema);
  const plain = useContext(PlainTextContext);
  const provider = useContext(NodeProviderContext);
  const help = helpText(schema.description);
  const describedBy = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  if (kind === 'object') return <ObjectField {...props} />;
  const set = (v: unknown) => onChange(path, v);
  const placeholder = schema.default !== undefined ? String(schema.default) : undefined;

  let control;
  // A node's top-level `connection` (slack_message, google_sheets_append): the org's connections of its provider.
  if (provider && name === 'connection' && path.length === 1 && kind === 'text') {
    control = <ConnectionPicker id={id} provider={provider} value={typeof value === 'string' ? value : undefined} onChange={set} invalid={Boolean(error)} describedBy={describedBy} />;
  } else switch (kind) {
    case 'enum':
      control = (
        <select id={id} className="select" value={value === undefined ? '' : String(value)} aria-invalid={Boolean(error)} aria-describedby={describedBy} onChange={(e) => set(e.target.value === '' ? undefined : schema.enum!.find((x) => String(x) === e.target.value))}>
          {(!required || value === undefined) && <option value="">{schema.default !== undefined ? `Default (${String(schema.default)})` : '—'}</option>}
          {schema.enum!.map((x) => (
            <option key={String(x)} value={String(x)}>
              {String(x)}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = (
        <input id={id} className="input" type="number" inputMode="numeric" placeholder={placeholder} value={typeof value === 'number' ? value : ''} aria-invalid={Boolean(error)} aria-describedby={describedBy} onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))} />
      );
      break;
    case 'boolean':
      control = (
        <label className="checkbox">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} /> {labelOf(name)}
        </label>
      );
      break;
    case 'text':
    case 'expression':
      if (plain) {
        control = <input id={id} className="input" value={typeof value === 'string' ? value : ''} aria-invalid={Boolean(error)} aria-describedby={describedBy} placeholder={placeholder} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)} />;
        break;
      }
      control = <TemplateInput id={id} mode={kind === 'expression' ? 'expression' : 'template'} value={typeof value === 'string' ? value : ''} onChange={(v) => set(v === '' ? undefined : v)} invalid={Boolean(error)} describedBy={describedBy} placeholder={placeholder ?? (kind === 'expression' ? 'JMESPath, e.g. steps.fetch.output.body' : 'Text; {{ }} inserts a value')} multiline={name === 'prompt' || name === 'message'} />;
      break;
    case 'record':
      control = <RecordField id={id} label={labelOf(name)} value={value} onChange={set} />;
      break;
    default:
      control = <JsonField id={id} value={value} onChange={set} invalid={Boolean(error)} describedBy={describedBy} />;
  }
  return (
    <div className="field" data-field={key}>
      {kind !== 'boolean' && (
        <label className="field-label" htmlFor={id}>
          {labelOf(name)}
          {required && <span className="req" aria-label="required">*</span>}
          {kind === 'expression' && <span className="badge">JMESPath</span>}
        </label>
      )}
      {control}
      {help && (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert" data-testid={`error-${key}`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A nested object (e.g. `retry`): off until switched on, then its own fields with their defaults. */
function ObjectField({ idPrefix, name, path, schema, value, required, errors, onChange }: FieldProps) {
  const id = `${idPrefix}-${path.join('.')}`;
  const on = typeof value === 'object' && value !== null;
  const enable = () => {
    const init: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(schema.properties ?? {})) {
      if (p.default !== undefined) init[k] = p.default;
      else if (schema.required?.includes(k) && (p.type === 'integer' || p.type === 'number')) init[k] = p.minimum !== undefined ? Math.max(p.minimum, 3) : 3;
    }
    onChange(path, init);
  };
  return (
    <fieldset className="fieldset" data-field={path.join('.')}>
      <legend className="field-label">
        {required ? (
          labelOf(name)
        ) : (
          <label className="checkbox">
            <input id={id} type="checkbox" checked={on} onChange={(e) => (e.target.checked ? enable() : onChange(path, undefined))} /> {labelOf(name)}
          </label>
        )}
      </legend>
      {schema.description && <p className="field-help">{helpText(schema.description)}</p>}
      {on &&
        Object.entries(schema.properties ?? {}).map(([k, p]) => (
          <Field key={k} idPrefix={idPrefix} name={k} path={[...path, k]} schema={p} value={(value as Record<string, unknown>)[k]} required={Boolean(schema.required?.includes(k))} errors={errors} onChange={onChange} />
        ))}
    </fieldset>
  );
}
