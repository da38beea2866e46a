import { WeftApiError, WeftClient } from '@weft/sdk';
import { sessionFetch } from '@weft/ui/session';

/** The browser's client: it talks to the dashboard's own `/api/weft` proxy with the user's session cookie (and CSRF header). */
export const api = new WeftClient({ baseUrl: '/api/weft', fetch: sessionFetch });

/** A sentence for any error, API problems included. */
export function errorMessage(err: unknown): string {
  if (err instanceof WeftApiError) return err.problem.detail ? `${err.problem.title}: ${err.problem.detail}` : err.problem.title;
  return err instanceof Error ? err.message : String(err);
}
