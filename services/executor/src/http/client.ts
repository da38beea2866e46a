import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { SpanKind, endSpan, startSpan } from '@weft/telemetry';
import { StepFailure } from '../errors';
import { currentStepSecrets } from '../secrets/step-secrets';
import type { AddressPolicy } from './address-policy';
import type { CircuitBreakers } from './circuit-breaker';
import { networkFailure, schemeRefusal, ssrfRefusal } from './messages';
import { currentTraffic } from './step-traffic';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface HttpCall {
  /** The org of the step making the call: circuit breakers are per org and host. */
  orgId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** true: the answer's body is the raw bytes (a Buffer), never decoded or parsed. */
  binary?: boolean;
}

const MAX_REDIRECTS = 5;
/** Headers that carry credentials: never forwarded to another origin on a redirect. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** An HTTP client for steps: SSRF-checked on every connection and redirect, size-capped. */
export class StepHttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly policy: AddressPolicy,
    private readonly maxResponseBytes: number,
    private readonly breakers?: CircuitBreakers,
  ) {
    // Checked after DNS resolution, on the address actually dialled (no TOCTOU via rebinding).
    const lookup = (hostname: string, options: object, cb: (...a: unknown[]) => void) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return cb(err);
        for (const a of addresses) {
          const reason = this.policy.check(a.address);
          if (reason) return cb(new StepFailure('ssrf_blocked', ssrfRefusal(hostname, a.address, reason), false));
        }
        const all = (options as { all?: boolean }).all;
        return all ? cb(null, addresses) : cb(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
    this.agent = new Agent({ connect: { lookup: lookup as never }, keepAliveTimeout: 10_000 });
  }

  /** Sends through the circuit breaker of the org and target host: network errors, timeouts and 5xx count as failures. */
  async send(call: HttpCall): Promise<HttpResult> {
    const circuit = { orgId: call.orgId, host: this.checkUrl(call.url).host };
    this.breakers?.before(circuit);
    try {
      const res = await this.sendChecked(call);
      if (res.status >= 500) this.breakers?.failure(circuit);
      else this.breakers?.success(circuit);
      return res;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'network_error' || code === 'timeout' || (err as { name?: string }).name === 'TimeoutError') this.breakers?.failure(circuit);
      throw err;
    }
  }

  /**
   * Follows redirects (each target checked again). Credentials never follow a redirect to
   * another origin: authorization/cookie headers and, when the step resolved secrets, any header
   * holding one are dropped, and a kept body holding one is refused. The answer comes back with
   * every secret masked, so a server that echoes a credential cannot put it into the output.
   */
  private async sendChecked(call: HttpCall): Promise<HttpResult> {
    const secrets = currentStepSecrets();
    let url = this.checkUrl(call.url);
    let { method, body } = call;
    const headers = { ...call.headers };
    for (let hop = 0; ; hop++) {
      const res = await this.dispatch(url, method, headers, body, call.signal);
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        if (hop >= MAX_REDIRECTS) throw new StepFailure('too_many_redirects', `more than ${MAX_REDIRECTS} redirects`, false);
        const next = this.checkUrl(new URL(location, url).toString());
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        if (next.origin !== url.origin) {
          for (const [name, value] of Object.entries(headers)) {
            if (CREDENTIAL_HEADERS.has(name.toLowerCase()) || secrets?.contains(value)) delete headers[name];
          }
          if (body !== undefined && secrets?.contains(body)) {
            throw new StepFailure('redirect_refused', `refused to resend a body holding a secret to another origin (${url.host} redirected to ${next.host})`, false);
          }
        }
        url = next;
        continue;
      }
      const read = await this.readBody(res, call.binary === true);
      currentTraffic()?.add(body === undefined ? 0 : Buffer.byteLength(body), read.bytes);
      const result = { status: res.statusCode, headers: flatHeaders(res.headers), body: read.body };
      return secrets ? secrets.mask(result) : result;
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** One request (one hop of a redirect chain), in a client span of the step's: method, host and port, status; never the path, query, headers or body. */
  private async dispatch(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal) {
    const span = startSpan(`HTTP ${method}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': method, 'server.address': currentStepSecrets()?.contains(url.hostname) ? '[secret]' : url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80), 'url.scheme': url.protocol.slice(0, -1) },
    });
    try {
      const res = await request(url, { method: method as Dispatcher.HttpMethod, headers, body, signal, dispatcher: this.agent });
      span?.setAttribute('http.response.status_code', res.statusCode);
      endSpan(span, res.statusCode >= 500 ? { code: `http_${res.statusCode}` } : undefined);
      return res;
    } catch (err) {
      endSpan(span, err);
      if (err instanceof StepFailure) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof StepFailure) throw cause;
      if (signal.aborted) throw signal.reason ?? err;
      throw new StepFailure('network_error', networkFailure(method, url, err), true);
    }
  }

  /** Only http(s); IP literals (any form the URL parser normalises: 2130706433, 0177.0.0.1) checked here. */
  private checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new StepFailure('invalid_url', `"${raw}" is not a valid URL`, false);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new StepFailure('ssrf_blocked', schemeRefusal(url.protocol), false);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = this.policy.check(host);
      if (reason) throw new StepFailure('ssrf_blocked', ssrfRefusal(host, host, reason), false);
    }
    return url;
  }

  /** The body (parsed when JSON; the raw bytes when `binary`) and its size in bytes (metered: step-traffic.ts). */
  private async readBody(res: Dispatcher.ResponseData, binary: boolean): Promise<{ body: unknown; bytes: number }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.maxResponseBytes) {
        res.body.destroy();
        throw new StepFailure('response_too_large', `response body exceeds ${this.maxResponseBytes} bytes`, false);
      }
      chunks.push(chunk as Buffer);
    }
    if (binary) return { body: Buffer.concat(chunks), bytes: size };
    const text = Buffer.concat(chunks).toString('utf8');
    const type = String(res.headers['content-type'] ?? '');
    if (/\bjson\b/i.test(type) && text.length > 0) {
      try {
        return { body: JSON.parse(text), bytes: size };
      } catch {
        return { body: text, bytes: size };
      }
    }
    return { body: text, bytes: size };
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
