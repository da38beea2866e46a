import { headers } from 'next/headers';
import { env } from '../../env';

/** The public origin of the dashboard (WEFT_DASHBOARD_PUBLIC_URL, else the host the request came to), without a trailing slash. */
export async function siteUrl(): Promise<string> {
  const configured = env().WEFT_DASHBOARD_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const h = await headers();
  // The Host header only (the proxy guard allows known hosts); forwarded headers are not trusted.
  return `http://${h.get('host') ?? 'localhost:3001'}`;
}
