import { Agent, request } from 'node:http';

export interface LoadOptions {
  /** Base URL of the server (http only). */
  url: string;
  path: string;
  headers: Record<string, string>;
  /** The JSON body of the i-th request (i counts across all clients). */
  body: (i: number) => unknown;
  /** Clients sending one request after the other, each on its own keep-alive connection. */
  clients: number;
  durationMs: number;
}

export interface LoadResult {
  /** First request sent → last answer received (ms). */
  wallMs: number;
  /** Latency of every 2xx answer, request sent → body read (ms). */
  latencyMs: number[];
  /** Answers by HTTP status, plus `network` for requests that got no answer. */
  statuses: Record<string, number>;
  accepted: number;
  /** Accepted requests per second of the window, one entry per second (shows warm-up and stalls). */
  perSecond: number[];
}

/**
 * Closed-loop load: `clients` concurrent clients, each sending its next request as soon as the
 * previous one was answered, until `durationMs` has passed (requests in flight then are finished
 * and counted). Plain node:http with a keep-alive agent: the load generator must cost little CPU
 * next to the server it measures on a shared 2-core machine.
 */
export async function closedLoop(opts: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients });
  const target = new URL(opts.path, opts.url);
  let next = 0;
  const t0 = performance.now();
  const until = t0 + opts.durationMs;
  const { record, result } = tally(t0);
  const client = async () => {
    while (performance.now() < until) {
      const payload = JSON.stringify(opts.body(next++));
      const sent = performance.now();
      record(await post(agent, target, opts.headers, payload).catch(() => 'network' as const), sent);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  agent.destroy();
  return result();
}

/**
 * Open-loop load at a fixed total rate, as wrk2 does: `clients` keep-alive connections, client k
 * due to send at t0 + (k + j·clients) / rate for its j-th request. A client whose previous answer
 * is late sends as soon as it arrives, and the latency counts from the time the request was due
 * (no coordinated omission: a stall shows as latency, not as fewer samples).
 */
export async function pacedLoop(opts: LoadOptions & { ratePerSecond: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients });
  const target = new URL(opts.path, opts.url);
  const intervalMs = 1000 / opts.ratePerSecond;
  let next = 0;
  const t0 = performance.now();
  const until = t0 + opts.durationMs;
  const { record, result } = tally(t0);
  const client = async (k: number) => {
    for (let j = 0; ; j++) {
      const due = t0 + (k + j * opts.clients) * intervalMs;
      if (due >= until) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const payload = JSON.stringify(opts.body(next++));
      record(await post(agent, target, opts.headers, payload).catch(() => 'network' as const), due);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, k) => client(k)));
  agent.destroy();
  return result();
}

/** Counts answers by status and keeps the latency of each 2xx, measured from `since` (ms, performance.now()). */
export function tally(t0: number) {
  const latencyMs: number[] = [];
  const statuses: Record<string, number> = {};
  const perSecond: number[] = [];
  return {
    record(status: number | 'network', since: number) {
      const done = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (typeof status === 'number' && status >= 200 && status < 300) {
        latencyMs.push(done - since);
        const second = Math.floor((done - t0) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      }
    },
    result(): LoadResult {
      const wallMs = performance.now() - t0;
      return { wallMs, latencyMs, statuses, accepted: latencyMs.length, perSecond: Array.from(perSecond, (n) => n ?? 0) };
    },
  };
}

function post(agent: Agent, url: URL, headers: Record<string, string>, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
