import type { UsageAnswer } from '@weft/workflow-schema';
import { formatQuantity, KIND_LABELS } from '../../lib/usage';

const KINDS = ['run', 'step_ms', 'llm_tokens_in', 'llm_tokens_out', 'http_bytes'];

/** Usage grouped by workflow or node type: one row per group, one column per kind. */
export function UsageTable({ items, label, testId }: { items: UsageAnswer['items']; label: string; testId: string }) {
  if (!items.length) return <p className="muted">No usage in this period.</p>;
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          {KINDS.map((k) => <th key={k} scope="col">{KIND_LABELS[k]}</th>)}
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.key || '-'}>
            <td className={i.name ? undefined : 'mono'}>{i.name ?? (i.key || '(runs)')}</td>
            {KINDS.map((k) => <td key={k}>{i.totals[k] === undefined ? '–' : formatQuantity(k, i.totals[k]!)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
