/** The message of a run's or step's error (`{ code, message, … }`, or whatever was stored), as text. */
export function errorText(error: unknown): string | null {
  if (error == null) return null;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}

/**
 * A run's short name: the last 8 hex digits of its id. Ids are UUIDv7, whose first digits are the
 * creation time, the same for every run of the same minute; the last ones are random.
 */
export function shortId(id: string): string {
  return id.slice(-8);
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
