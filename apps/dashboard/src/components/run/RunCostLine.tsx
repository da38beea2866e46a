'use client';
import type { RunCost } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { formatMicros, formatQuantity, KIND_LABELS } from '../../lib/usage';

/**
 * The run's cost: its metered usage priced with the org's plan (GET /v1/runs/:id `cost`), read
 * again when the run changes (`version`). The per-run costs add up exactly to the invoice.
 */
export function RunCostLine({ runId, version }: { runId: string; version: string }) {
  const [cost, setCost] = useState<RunCost | null>(null);
  useEffect(() => {
    let live = true;
    api.getRun(runId).then((r) => live && setCost(r.cost ?? null)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [runId, version]);
  if (!cost) return null;
  return (
    <p className="muted small" data-testid="run-cost">
      Cost <strong>{formatMicros(cost.totalMicros, cost.currency)}</strong>
      {cost.lines.length > 0 && ` (${cost.lines.map((l) => `${KIND_LABELS[l.kind] ?? l.kind} ${formatQuantity(l.kind, Number(l.quantity))}: ${formatMicros(l.amountMicros, cost.currency)}`).join(' · ')})`}
    </p>
  );
}
