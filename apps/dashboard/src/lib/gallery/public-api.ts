import { WeftClient, WeftApiError } from '@weft/sdk';
import { env } from '../../env';

/**
 * The gateway's public routes (gallery, template pages, profiles) as the dashboard's server reads
 * them to render the public pages: no session, no key, nothing cached (installs and versions change).
 */
export function publicApi(): WeftClient {
  return new WeftClient({ baseUrl: env().WEFT_API_URL, fetch: (input, init) => fetch(input, { ...init, cache: 'no-store' }) });
}

/** The answer of `load`, or null when the API says 404 (the page then answers 404 too). */
export async function orNotFound<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof WeftApiError && err.status === 404) return null;
    throw err;
  }
}
