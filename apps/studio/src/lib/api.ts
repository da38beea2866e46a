import { WeftApiError, WeftClient } from '@weft/sdk';
import type { Issue } from '@weft/workflow-schema';
import { sessionFetch } from '@weft/ui/session';

/** The browser's client: it talks to the studio's own `/api/weft` proxy with the user's session cookie. */
export const api = new WeftClient({ baseUrl: '/api/weft', fetch: sessionFetch });

/** A sentence for any error, API problems included. */
export function errorMessage(err: unknown): string {
  if (err instanceof WeftApiError) return err.problem.detail ? `${err.problem.title}: ${err.problem.detail}` : err.problem.title;
  return err instanceof Error ? err.message : String(err);
}

/** The node-precise issues of an API error (e.g. a 400 on publish), if any. */
export function issuesOf(err: unknown): Issue[] {
  return err instanceof WeftApiError ? err.issues : [];
}
