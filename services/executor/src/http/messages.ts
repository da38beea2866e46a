/**
 * The words of outgoing-call failures, as a person reading a failed step sees them: what was
 * refused or failed, where (the resolved URL, without credentials or query), and what to do.
 */

/** The environment variable that opens private ranges to steps (services/executor env.ts). */
export const ALLOW_CIDRS_VAR = 'WEFT_HTTP_ALLOW_CIDRS';

/** A URL as shown in a message: scheme, host, port and path; credentials dropped, query elided. */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

/**
 * A refusal by the address policy: says that it is deliberate (SSRF protection) and how an
 * operator allows the host, with the CIDR that would open exactly this address.
 */
export function ssrfRefusal(host: string, address: string, reason: string): string {
  const where = host === address ? host : `${host} (${address})`;
  const cidr = address.includes(':') ? `${address}/128` : `${address}/32`;
  return (
    `Blocked on purpose: ${where} is not a public address (${reason}). Weft refuses private, loopback, ` +
    `link-local and cloud-metadata destinations to protect your network (SSRF protection). To allow it, ` +
    `an operator adds it to ${ALLOW_CIDRS_VAR} on the executor, e.g. ${ALLOW_CIDRS_VAR}=${cidr}`
  );
}

/** A URL scheme other than http(s). */
export function schemeRefusal(protocol: string): string {
  return `Blocked on purpose: the ${protocol} scheme is not allowed; steps may call http:// and https:// URLs only (SSRF protection).`;
}

interface NetError {
  code?: string;
  message?: string;
  hostname?: string;
  address?: string;
  port?: number;
  errors?: unknown[];
}

/** The first error that says what went wrong (Happy Eyeballs wraps one per address in an AggregateError). */
function rootCause(err: unknown): NetError {
  let e = (err ?? {}) as NetError & { cause?: unknown };
  for (let i = 0; i < 5; i++) {
    if (e.code && e.code !== 'UND_ERR_SOCKET') break;
    const inner = e.errors?.[0] ?? e.cause;
    if (!inner) break;
    e = inner as NetError & { cause?: unknown };
  }
  return e;
}

/** A network failure of `method url` in words: DNS, refused, reset, timed out, TLS, or the raw code. */
export function networkFailure(method: string, url: URL, err: unknown): string {
  const e = rootCause(err);
  const target = `${method} ${shownUrl(url)}`;
  const at = e.address ? ` at ${e.address}${e.port ? `:${e.port}` : ''}` : '';
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return `Could not find the host ${url.hostname}: DNS has no address for it (${e.code}). Check the spelling of the URL. ${target}`;
    case 'EAI_AGAIN':
      return `Could not look up the host ${url.hostname}: DNS did not answer in time (EAI_AGAIN); this is often temporary. ${target}`;
    case 'ECONNREFUSED':
      return `The connection to ${url.host}${at} was refused (ECONNREFUSED): nothing is listening on that port. ${target}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `The connection to ${url.host}${at} was closed by the other side before it answered (${e.code}). ${target}`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `Could not connect to ${url.host}${at} in time (${e.code}). ${target}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `The host ${url.host}${at} cannot be reached from the executor's network (${e.code}). ${target}`;
    default: {
      const detail = [e.code, e.message].filter((x) => x && x.trim()).join(': ');
      const tls = /CERT|SSL|TLS/i.test(`${e.code ?? ''} ${e.message ?? ''}`);
      return `${tls ? 'The TLS connection' : 'The request'} to ${url.host} failed${detail ? ` (${detail})` : ''}. ${target}`;
    }
  }
}
