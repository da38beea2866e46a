/** What the approval payload field holds: nothing (no payload), a JSON value, or a problem to show. */
export type PayloadField = { ok: true; payload?: unknown } | { ok: false; error: string };

/**
 * The payload typed in an approval card: empty (or blanks) sends none; otherwise it must be JSON
 * (it becomes the approval step's output), and the problem is said in words with where it is.
 */
export function parsePayload(text: string): PayloadField {
  if (!text.trim()) return { ok: true };
  try {
    return { ok: true, payload: JSON.parse(text) as unknown };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `The payload is not valid JSON: ${detail}. Write an object like {"reason": "ok"}, or leave it empty.` };
  }
}
