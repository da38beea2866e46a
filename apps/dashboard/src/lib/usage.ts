import { utcDay, utcMonthDays } from '@weft/workflow-schema';

/** A duration for people: "850 ms", "12.4 s", "7 min 5 s", "3 h 12 min". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Widths (0–100 %) of two bars on one scale: this month and the last. */
export function barPair(current: number, previous: number): [number, number] {
  const max = Math.max(current, previous);
  return max === 0 ? [0, 0] : [(current / max) * 100, (previous / max) * 100];
}
/** Helpers of the Usage page, the home page's usage card and the run viewer's cost line (pure: tested in usage.test.ts). */

/**
 * "This month" and "last month" everywhere in the dashboard: UTC months as UTC days for
 * GET /v1/usage, billing's definition (`utcMonthDays` of @weft/workflow-schema, which billing's
 * quotas use too): the home card and the Usage page read the same numbers.
 */
export { utcDay, utcMonthDays };

/** Micro-units (a decimal string) as an amount: `USD 0.015281`, exact (no floating point). */
export function formatMicros(micros: string, currency: string): string {
  const negative = micros.startsWith('-');
  const digits = (negative ? micros.slice(1) : micros).padStart(7, '0');
  const whole = digits.slice(0, -6).replace(/^0+(?=\d)/, '');
  return `${currency} ${negative ? '-' : ''}${whole}.${digits.slice(-6)}`;
}

/** What each usage kind counts, for labels. */
export const KIND_LABELS: Record<string, string> = {
  run: 'Runs',
  step_ms: 'Step time',
  llm_tokens_in: 'LLM tokens in',
  llm_tokens_out: 'LLM tokens out',
  http_bytes: 'HTTP bytes',
};

/** A quantity of a kind, readable: step milliseconds as seconds, bytes with a unit, counts grouped. */
export function formatQuantity(kind: string, n: number): string {
  if (kind === 'step_ms') return `${(n / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
  if (kind === 'http_bytes') {
    if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
    if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
    return `${n} B`;
  }
  return n.toLocaleString('en-US');
}

/** Every day from `from` to `to` (both included), so the chart shows days without usage too. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(utcDay(new Date(t)));
  return out;
}

/** A quota's use as a share of its limit (0–1; 0 when unlimited). */
export const shareOf = (used: number, limit: number | null) => (limit === null || limit === 0 ? (limit === 0 ? 1 : 0) : Math.min(1, used / limit));
