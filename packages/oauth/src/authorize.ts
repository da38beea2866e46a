import { createHash } from 'node:crypto';
import { PROVIDERS, type ProviderEndpoints, type ProviderId } from './providers';

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2). */
export const codeChallenge = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export interface AuthorizationRequest {
  provider: ProviderId;
  endpoints: ProviderEndpoints;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  /** The PKCE verifier (sent as its S256 challenge) when the provider supports PKCE. */
  codeVerifier?: string;
}

/** The consent page URL the browser is sent to (RFC 6749 §4.1.1, with the provider's extras). */
export function authorizationUrl(req: AuthorizationRequest): string {
  const spec = PROVIDERS[req.provider];
  const url = new URL(req.endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', req.clientId);
  url.searchParams.set('redirect_uri', req.redirectUri);
  if (req.scopes.length) url.searchParams.set('scope', req.scopes.join(spec.scopeSeparator));
  url.searchParams.set('state', req.state);
  if (spec.pkce && req.codeVerifier) {
    url.searchParams.set('code_challenge', codeChallenge(req.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(spec.authorizeParams)) url.searchParams.set(k, v);
  return url.toString();
}
