import fc from 'fast-check';
import type { Operation } from './operations';

/** One request the fuzzer sends, printable in a failure report without megabytes of payload. */
export interface FuzzRequest {
  op: Operation;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Gives a request a short, reproducible description for fast-check's counterexample report. */
export function printable(r: FuzzRequest): FuzzRequest {
  return Object.assign(r, {
    [fc.toStringMethod]: () => `${r.method} ${short(r.url)} ${JSON.stringify(r.headers)} body=${r.body === undefined ? '(none)' : short(typeof r.body === 'string' ? JSON.stringify(r.body) : `<bytes ${r.body.toString('hex')}>`)}`,
  });
}

function short(s: string): string {
  return s.length > 300 ? `${s.slice(0, 200)}…(${s.length} chars)…${s.slice(-60)}` : s;
}

/**
 * Why an answer is not acceptable, or undefined when it is: a 4xx must be RFC 9457 problem+json with type, title and
 * the same status; anything else must be a success status the document lists for the operation. Never a 5xx.
 */
export function judge(op: Operation, a: Answer): string | undefined {
  const head = `${op.name} answered ${a.status} ${a.contentType}: ${short(a.text)}`;
  if (a.status >= 500) return `server error: ${head}`;
  if (a.status >= 400) {
    if (!/^application\/problem\+json(;|$)/.test(a.contentType)) return `error not served as application/problem+json: ${head}`;
    let p: { type?: unknown; title?: unknown; status?: unknown };
    try {
      p = JSON.parse(a.text) as typeof p;
    } catch {
      return `problem body is not JSON: ${head}`;
    }
    if (typeof p.type !== 'string' || typeof p.title !== 'string' || p.status !== a.status) return `problem lacks type/title/status: ${head}`;
    return undefined;
  }
  if (!op.successes.has(a.status)) return `status not documented for the operation: ${head}`;
  return undefined;
}
