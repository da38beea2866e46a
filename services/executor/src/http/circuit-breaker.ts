import { StepFailure } from '../errors';

interface HostState {
  failures: number;
  openedAt: number | null;
  /** A half-open trial request is in flight: others still fail fast. */
  trial: boolean;
}

/**
 * A circuit breaker per target host: after `threshold` consecutive failures (network errors,
 * timeouts, 5xx) the circuit opens and calls fail fast with a retryable `circuit_open` error
 * (their retry policy backs off meanwhile); after `cooldownMs` one trial request is let through
 * (half-open): success closes the circuit, failure opens it again. State is per executor process.
 */
export class CircuitBreakers {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws if the host's circuit is open; otherwise the call may go (maybe as the half-open trial). */
  before(host: string): void {
    const s = this.hosts.get(host);
    if (!s || s.openedAt === null) return;
    const waited = this.now() - s.openedAt;
    if (waited >= this.cooldownMs && !s.trial) {
      s.trial = true;
      return;
    }
    throw new StepFailure('circuit_open', `circuit for ${host} is open after ${s.failures} consecutive failures; calls fail fast for ${Math.max(0, this.cooldownMs - waited)} ms more`, true, {
      host,
      circuit: s.trial ? 'half-open' : 'open',
      failures: s.failures,
      retryAfterMs: Math.max(0, this.cooldownMs - waited),
    });
  }

  success(host: string): void {
    this.hosts.delete(host);
  }

  failure(host: string): void {
    const s = this.hosts.get(host) ?? { failures: 0, openedAt: null, trial: false };
    s.failures += 1;
    if (s.trial || s.failures >= this.threshold) s.openedAt = this.now();
    s.trial = false;
    this.hosts.set(host, s);
  }

  state(host: string): 'closed' | 'open' | 'half-open' {
    const s = this.hosts.get(host);
    if (!s || s.openedAt === null) return 'closed';
    return s.trial || this.now() - s.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }
}
