import { WeftApiError, WeftClient } from '@weft/sdk';

/** The browser's client: it talks to the dashboard's own `/api/weft` proxy, which adds the credentials. */
export const api = new WeftClient({ baseUrl: '/api/weft' });

/** A sentence for any error, API problems included. */
export function errorMessage(err: unknown): string {
  if (err instanceof WeftApiError) return err.problem.detail ? `${err.problem.title}: ${err.problem.detail}` : err.problem.title;
  return err instanceof Error ? err.message : String(err);
}
