import { WeftClient } from '@weft/sdk';
import { headers } from 'next/headers';
import { env } from '../env';
import { sessionHeaders } from '@weft/ui/server/session-forwarding';

/** The gateway as the studio's server sees it while rendering a page: with the user's session (reads only). */
export async function serverApi(): Promise<WeftClient> {
  const { WEFT_API_URL } = env();
  const session = sessionHeaders((await headers()).get('cookie'));
  return new WeftClient({
    baseUrl: WEFT_API_URL,
    fetch: (input, init) => {
      const h = new Headers(init?.headers);
      session.forEach((value, name) => h.set(name, value));
      return fetch(input, { ...init, headers: h });
    },
  });
}
