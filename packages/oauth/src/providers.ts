import { CONNECTION_PROVIDERS, type ConnectionProvider } from '@weft/workflow-schema';
import { z } from 'zod';

/** The providers a connection may use: a small typed registry. */
export const PROVIDER_IDS = CONNECTION_PROVIDERS;
export type ProviderId = ConnectionProvider;

/** Where a provider's consent page and token endpoint live. */
export interface ProviderEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

export interface ProviderSpec {
  id: ProviderId;
  title: string;
  /** Sends an S256 code challenge (RFC 7636) with the authorization request. */
  pkce: boolean;
  /** How scopes are joined in the authorization URL (Slack: commas; RFC 6749: spaces). */
  scopeSeparator: ' ' | ',';
  /** Extra parameters of the authorization URL (Google: ask for a refresh token every time). */
  authorizeParams: Record<string, string>;
  /** The token answer's shape: RFC 6749 JSON (errors as 400 `{ error }`) or Slack's `oauth.v2.access` (200 `{ ok, error }`). */
  tokenShape: 'rfc6749' | 'slack';
  /** The production endpoints (overridable per deployment, see `oauthEnv`). */
  endpoints?: ProviderEndpoints;
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderSpec>> = {
  google: {
    id: 'google',
    title: 'Google',
    pkce: true,
    scopeSeparator: ' ',
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    tokenShape: 'rfc6749',
    endpoints: { authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth', tokenUrl: 'https://oauth2.googleapis.com/token' },
  },
  slack: {
    id: 'slack',
    title: 'Slack',
    pkce: false,
    scopeSeparator: ',',
    authorizeParams: {},
    tokenShape: 'slack',
    endpoints: { authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'https://slack.com/api/oauth.v2.access' },
  },
  generic: {
    id: 'generic',
    title: 'OAuth 2.0 provider',
    pkce: true,
    scopeSeparator: ' ',
    authorizeParams: {},
    tokenShape: 'rfc6749',
  },
};

/** The endpoints of every configured provider (the generic one only when its URLs are set). */
export type ProviderEndpointMap = Partial<Record<ProviderId, ProviderEndpoints>>;

const url = () => z.string().url().optional();

/**
 * The OAuth endpoint settings, spread into the gateway's and the executor's env schemas: each
 * overrides a provider's production endpoint (self-hosted identity providers, local doubles in
 * tests). The generic provider exists only when both of its URLs are set.
 */
export const oauthEnv = {
  /** Google's consent page (default https://accounts.google.com/o/oauth2/v2/auth). */
  WEFT_OAUTH_GOOGLE_AUTHORIZE_URL: url(),
  /** Google's token endpoint (default https://oauth2.googleapis.com/token). */
  WEFT_OAUTH_GOOGLE_TOKEN_URL: url(),
  /** Slack's consent page (default https://slack.com/oauth/v2/authorize). */
  WEFT_OAUTH_SLACK_AUTHORIZE_URL: url(),
  /** Slack's token endpoint, oauth.v2.access (default https://slack.com/api/oauth.v2.access). */
  WEFT_OAUTH_SLACK_TOKEN_URL: url(),
  /** The generic provider's consent page (connections of provider `generic` need both generic URLs). */
  WEFT_OAUTH_GENERIC_AUTHORIZE_URL: url(),
  /** The generic provider's token endpoint. */
  WEFT_OAUTH_GENERIC_TOKEN_URL: url(),
};

type OAuthEnv = { [K in keyof typeof oauthEnv]?: string | undefined };

/** The endpoint map of a parsed env: production endpoints, each overridden where set. */
export function endpointsFromEnv(env: OAuthEnv): ProviderEndpointMap {
  const map: ProviderEndpointMap = {};
  const pick = (id: ProviderId, authorize?: string, token?: string) => {
    const base = PROVIDERS[id].endpoints;
    const authorizeUrl = authorize ?? base?.authorizeUrl;
    const tokenUrl = token ?? base?.tokenUrl;
    if (authorizeUrl && tokenUrl) map[id] = { authorizeUrl, tokenUrl };
  };
  pick('google', env.WEFT_OAUTH_GOOGLE_AUTHORIZE_URL, env.WEFT_OAUTH_GOOGLE_TOKEN_URL);
  pick('slack', env.WEFT_OAUTH_SLACK_AUTHORIZE_URL, env.WEFT_OAUTH_SLACK_TOKEN_URL);
  pick('generic', env.WEFT_OAUTH_GENERIC_AUTHORIZE_URL, env.WEFT_OAUTH_GENERIC_TOKEN_URL);
  return map;
}

/** The default map (production endpoints of Google and Slack, no generic provider). */
export const DEFAULT_ENDPOINTS: ProviderEndpointMap = endpointsFromEnv({});
