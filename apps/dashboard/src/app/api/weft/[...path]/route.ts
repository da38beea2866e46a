import { weftProxy } from '@weft/ui/server/weft-proxy';
import { env } from '../../../../env';

export const dynamic = 'force-dynamic';

/** Same-origin proxy to the gateway's `/v1` API with the user's session (shared with the studio: @weft/ui/server/weft-proxy). */
const proxy = weftProxy(() => {
  const e = env();
  return { apiUrl: e.WEFT_API_URL, allowedHosts: e.WEFT_DASHBOARD_ALLOWED_HOSTS, hostsSetting: 'WEFT_DASHBOARD_ALLOWED_HOSTS', timeoutMs: e.WEFT_PROXY_TIMEOUT_MS };
});

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
