import { WeftClient } from '@weft/sdk';
import { env } from '../env';

/** The gateway as the studio's server sees it: with the API key, which never reaches the browser. */
export function serverApi(): WeftClient {
  const { WEFT_API_URL, WEFT_API_KEY } = env();
  return new WeftClient({ baseUrl: WEFT_API_URL, apiKey: WEFT_API_KEY });
}
