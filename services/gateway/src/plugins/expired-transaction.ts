/**
 * Prisma's "Transaction API error" (P2028): an interactive transaction outlived its `timeout`, or
 * waited past `maxWait` to start. Prisma rolled it back, so nothing was written; the request can
 * be sent again. Not a bug of the request nor of the server: the gateway answers 503, never 500.
 */
const TRANSACTION_API_ERROR = 'P2028';

type ErrorChain = { code?: unknown; cause?: unknown; meta?: unknown } | undefined;

/** What to tell the caller when the error is an expired database transaction (else undefined). */
export function expiredTransaction(err: unknown): string | undefined {
  for (let e = err as ErrorChain, depth = 0; e && depth < 5; e = e.cause as ErrorChain, depth++) {
    if (e.code !== TRANSACTION_API_ERROR) continue;
    const meta = (e.meta ?? {}) as { timeout?: unknown; timeTaken?: unknown };
    const took = typeof meta.timeout === 'number' && typeof meta.timeTaken === 'number' ? ` (${meta.timeTaken} ms for a limit of ${meta.timeout} ms)` : '';
    return `the database did not finish the request's transaction in time${took}: nothing was written; retry shortly`;
  }
  return undefined;
}
