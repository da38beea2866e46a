import { liveRelay } from '@weft/ui/server/live-relay';
import { env } from '../../../../env';

export const dynamic = 'force-dynamic';

/** A run's live view as Server-Sent Events, with the user's session (shared with the studio: @weft/ui/server/live-relay). */
export const GET = liveRelay(() => ({ apiUrl: env().WEFT_API_URL, allowedHosts: env().WEFT_DASHBOARD_ALLOWED_HOSTS, hostsSetting: 'WEFT_DASHBOARD_ALLOWED_HOSTS' }));
