import { WeftApiError, WeftClient } from '@weft/sdk';
import { sessionFetch } from '@weft/ui/session';

/** The browser's client: it talks to the dashboard's own `/api/weft` proxy with the user's session cookie (and CSRF header). */
export const api = new WeftClient({ baseUrl: '/api/weft', fetch: sessionFetch });

/** A sentence for any error, API problems included. */
export function errorMessage(err: unknown): string {
  if (err instanceof WeftApiError) return err.problem.detail ? `${err.problem.title}: ${err.problem.detail}` : err.problem.title;
  return err instanceof Error ? err.message : String(err);
}

/** The API's issues as one sentence, each with its path (without `strip`, e.g. `body.`), else `errorMessage`. */
export function issuesMessage(err: unknown, strip?: RegExp): string {
  if (err instanceof WeftApiError && err.issues.length) return err.issues.map((i) => `${strip ? i.path.replace(strip, '') : i.path}: ${i.message}`).join('; ');
  return errorMessage(err);
}
