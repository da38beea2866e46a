import { DEFAULT_ENDPOINTS, type ProviderEndpointMap } from '@weft/oauth';

/** The gateway's OAuth settings (env: WEFT_OAUTH_*). */
export interface OAuthSettings {
  /** The providers' endpoints (production ones, overridden per deployment). */
  endpoints: ProviderEndpointMap;
  /** The callback registered with each app: `<it>` is `…/v1/oauth/callback` (default `<auth base URL>/v1/oauth/callback`). */
  redirectUri: () => string;
  /** Where the browser goes back to: a `returnTo` path is resolved against it (the app's URL). */
  appUrl: string;
  /** Origins a full `returnTo` URL may have (the app and the CORS origins: the studio and the dashboard). */
  returnOrigins: ReadonlySet<string>;
  /** How long an authorization request's state is accepted (ms). */
  stateTtlMs: number;
}

/** What AppOptions may set (the rest comes from the sign-in settings). */
export interface OAuthOptions {
  endpoints?: ProviderEndpointMap;
  /** The redirect URI (a function when it is known only once the server listens, as in tests). */
  redirectUri?: string | (() => string);
  stateTtlMs?: number;
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export function oauthSettings(o: OAuthOptions, auth: { appUrl: string; authBaseUrl: string }, corsOrigins: readonly string[]): OAuthSettings {
  const redirect = o.redirectUri ?? `${auth.authBaseUrl.replace(/\/$/, '')}/v1/oauth/callback`;
  return {
    endpoints: o.endpoints ?? DEFAULT_ENDPOINTS,
    redirectUri: typeof redirect === 'string' ? () => redirect : redirect,
    appUrl: auth.appUrl,
    returnOrigins: new Set([auth.appUrl, ...corsOrigins].map(originOf).filter((x): x is string => !!x)),
    stateTtlMs: o.stateTtlMs ?? 10 * 60_000,
  };
}
