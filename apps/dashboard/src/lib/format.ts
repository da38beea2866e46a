/** The message of a run's or step's error (`{ code, message, nodeId? }`, or whatever was stored), as text. */
export function errorText(error: unknown): string | null {
  if (error == null) return null;
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const e = error as { message?: unknown; nodeId?: unknown };
    if (typeof e.message === 'string') return typeof e.nodeId === 'string' ? `${e.nodeId}: ${e.message}` : e.message;
  }
  return JSON.stringify(error);
}

/** A date and time in the reader's locale, short. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Milliseconds between two instants (to now when the second is missing), or null before the first. */
export function between(start: string | null, end: string | null): number | null {
  if (!start) return null;
  return (end ? Date.parse(end) : Date.now()) - Date.parse(start);
}
