import { weftMetrics } from '@weft/metrics';
import { StepFailure } from '../errors';

interface CircuitState {
  failures: number;
  openedAt: number | null;
  /** A half-open trial request is in flight: others still fail fast. */
  trial: boolean;
}

/** Whose calls to which host a circuit guards. */
export interface CircuitKey {
  orgId: string;
  host: string;
}

/** How many circuits (org + host pairs with recent failures) one executor keeps at most. */
export const DEFAULT_MAX_CIRCUITS = 10_000;

/**
 * A circuit breaker per org and target host: after `threshold` consecutive failures (network
 * errors, timeouts, 5xx) the circuit opens and that org's calls to that host fail fast with a
 * retryable `circuit_open` error (their retry policy backs off meanwhile); after `cooldownMs`
 * one trial request is let through (half-open): success closes the circuit, failure opens it
 * again. Keyed by org so that one org's failing calls (or an org aiming at a shared host on
 * purpose) cannot open the circuit of api.openai.com for every other org. State is per
 * executor process; only circuits with failures are kept, and at most `maxCircuits` of them
 * (the least recently failed is forgotten first, which closes it: the safe side for others).
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, CircuitState>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxCircuits = DEFAULT_MAX_CIRCUITS,
  ) {}

  /** Throws if the circuit is open; otherwise the call may go (maybe as the half-open trial). */
  before(key: CircuitKey): void {
    const s = this.circuits.get(keyOf(key));
    if (!s || s.openedAt === null) return;
    const waited = this.now() - s.openedAt;
    if (waited >= this.cooldownMs && !s.trial) {
      s.trial = true;
      weftMetrics.breakerTransitions.inc({ to: 'half_open' });
      return;
    }
    const { host } = key;
    throw new StepFailure('circuit_open', `circuit for ${host} is open after ${s.failures} consecutive failures; calls fail fast for ${Math.max(0, this.cooldownMs - waited)} ms more`, true, {
      host,
      circuit: s.trial ? 'half-open' : 'open',
      failures: s.failures,
      retryAfterMs: Math.max(0, this.cooldownMs - waited),
    });
  }

  success(key: CircuitKey): void {
    const k = keyOf(key);
    if (this.circuits.get(k)?.openedAt != null) weftMetrics.breakerTransitions.inc({ to: 'closed' });
    this.circuits.delete(k);
  }

  failure(key: CircuitKey): void {
    const k = keyOf(key);
    const s = this.circuits.get(k) ?? { failures: 0, openedAt: null, trial: false };
    s.failures += 1;
    if (s.trial || s.failures >= this.threshold) {
      // Opened (or re-opened by a failed trial); a failure while already open is not a change.
      if (s.openedAt === null || s.trial) weftMetrics.breakerTransitions.inc({ to: 'open' });
      s.openedAt = this.now();
    }
    s.trial = false;
    // Re-inserted so that the map's order is least recently failed first.
    this.circuits.delete(k);
    this.circuits.set(k, s);
    if (this.circuits.size > this.maxCircuits) this.circuits.delete(this.circuits.keys().next().value!);
  }

  state(key: CircuitKey): 'closed' | 'open' | 'half-open' {
    const s = this.circuits.get(keyOf(key));
    if (!s || s.openedAt === null) return 'closed';
    return s.trial || this.now() - s.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** How many circuits are kept (with failures counted or open). */
  get size(): number {
    return this.circuits.size;
  }
}

// A space separates the parts: it can be in neither an org id (uuid) nor a URL host.
const keyOf = (key: CircuitKey) => `${key.orgId} ${key.host}`;
