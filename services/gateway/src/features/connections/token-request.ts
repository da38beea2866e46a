import { parseTokenAnswer, tokenRequestBody, type ProviderId, type TokenAnswer, type TokenGrant } from '@weft/oauth';

const TIMEOUT_MS = 15_000;

/**
 * One request to a provider's token endpoint (the operator's configured URL: no user picks it).
 * Redirects are refused, the answer is read as JSON and parsed in the provider's shape; a network
 * failure is a retryable `network_error`. Nothing here logs or returns a token outside `tokens`.
 */
export async function requestTokens(provider: ProviderId, tokenUrl: string, grant: TokenGrant, client: { clientId: string; clientSecret: string }, now = new Date()): Promise<TokenAnswer> {
  let status: number;
  let body: unknown;
  try {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: tokenRequestBody(grant, client),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    const text = await res.text();
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
  } catch (err) {
    return { ok: false, failure: { error: 'network_error', description: (err as Error).name, reconnect: false, retryable: true } };
  }
  return parseTokenAnswer(provider, status, body, now);
}
