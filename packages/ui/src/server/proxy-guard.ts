/**
 * Why a browser request must not reach a web app's proxy (studio, dashboard) (null when it may): the proxy forwards the
 * user's session, so it answers only its own pages: known host names (no DNS rebinding),
 * same-origin requests (no cross-site forgery; browsers send `Sec-Fetch-Site` and `Origin`), and
 * JSON bodies. `crossSiteNavigation`: a sign-in step the browser reaches from another site (the
 * link in an email, GitHub's redirect), a GET that is safe cross-site (single-use link, OAuth state).
 */
export function refusal(req: Request, allowedHosts: string, opts: { crossSiteNavigation?: boolean; hostsSetting?: string } = {}): string | null {
  const host = (req.headers.get('host') ?? '').replace(/:\d+$/, '').toLowerCase();
  const allowed = allowedHosts.split(',').map((h) => h.trim().toLowerCase());
  if (!allowed.includes('*') && !allowed.includes(host)) return `host "${host}" is not in ${opts.hostsSetting ?? 'WEFT_STUDIO_ALLOWED_HOSTS'}`;
  if (opts.crossSiteNavigation) return null;
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return 'cross-site request';
  const origin = req.headers.get('origin');
  if (origin && new URL(origin).host !== req.headers.get('host')) return 'cross-origin request';
  const type = req.headers.get('content-type');
  if (req.method !== 'GET' && req.method !== 'HEAD' && type && !type.includes('application/json')) return 'bodies must be application/json';
  return null;
}
