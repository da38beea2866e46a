'use client';
import { Plus, X } from 'lucide-react';
import { useState } from 'react';
import { TemplateInput } from './TemplateInput';

type Row = { key: string; value: string };

const rowsOf = (v: unknown): Row[] =>
  typeof v === 'object' && v !== null ? Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })) : [];

/** Name → text pairs (headers, query): one row each; values take `{{ }}` templates. */
export function RecordField({ id, label, value, onChange }: { id: string; label: string; value: unknown; onChange(v: unknown): void }) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const commit = (next: Row[]) => {
    setRows(next);
    const kept = next.filter((r) => r.key.trim());
    onChange(kept.length ? Object.fromEntries(kept.map((r) => [r.key.trim(), r.value])) : undefined);
  };
  return (
    <div className="record" id={id}>
      {rows.map((r, i) => (
        <div className="record-row" key={i}>
          <input className="input mono" aria-label={`${label} name`} placeholder="name" value={r.key} onChange={(e) => commit(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
          <TemplateInput id={`${id}-${i}`} label={`${label} value`} mode="template" placeholder="value" value={r.value} onChange={(v) => commit(rows.map((x, j) => (j === i ? { ...x, value: v } : x)))} />
          <button type="button" className="icon-btn" aria-label={`Remove ${r.key || 'row'}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
            <X size={14} />
          </button>
        </div>
      ))}
      {/* Named after its field: a form with headers and query has two of these. */}
      <button type="button" className="btn btn-sm btn-ghost" aria-label={`Add ${label.toLowerCase()}`} onClick={() => setRows([...rows, { key: '', value: '' }])}>
        <Plus size={14} /> Add
      </button>
    </div>
  );
}
