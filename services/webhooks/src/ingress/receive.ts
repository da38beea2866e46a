import type { IncomingHttpHeaders } from 'node:http';
import { asMaintenance, newId, withOrg } from '@weft/db';
import { BudgetExceededError, serializeWithin } from '@weft/engine';
import { UnusableInputSchema, triggerInputIssues } from '@weft/input-schema';
import { weftMetrics } from '@weft/metrics';
import { QuotaGuard } from '@weft/billing';
import { publishOutbox, startWebhookRun } from '@weft/run-store';
import { deliveryKey, verifyDelivery } from '@weft/webhook-signatures';
import { IngressError } from '../errors';
import type { WebhooksOptions, WebhooksResources } from '../resources';
import { deliveryByKey, logDelivery, releaseKey } from './delivery-log';
import { HookLoader, type HookConfig } from './hook-config';
import { allowedHeaders, queryOf, type DeliveryInputs } from './inputs';
import { parseBody } from './parse-body';
import { DeliveryRateLimit } from './rate-limit';
import { syncResponse, type SyncResponse } from './sync-response';
import { waitForRunEnd } from './sync-wait';

/** One request to POST /hooks/:id, as received. */
export interface Delivery {
  hookId: string;
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** The request URL (its query string goes into the inputs). */
  url: string;
  /** When it arrived (ms since the epoch). */
  receivedAt: number;
  /** The W3C traceparent of the delivery's span (null when tracing is off): its run joins that trace. */
  traceParent?: string | null;
}

/** What the sender gets. */
export type Answer = SyncResponse & { deduped?: boolean };

/**
 * The ingress use case: hook → rate limits (hook, org) → signature (before anything else reads the body, and
 * before the dedupe: a bad signature is a 401 even for a known id) → content → inputs checked
 * against the trigger → delivery row + run + outbox in one statement → the answer (async: 202 at
 * once; sync: the run's output, or 202 with its status URL past the deadline). Refusals after the
 * hook is known are written to its delivery log.
 */
export class Ingress {
  private readonly hooks: HookLoader;
  private readonly limit: DeliveryRateLimit;
  private readonly quotas: QuotaGuard;
  private readonly now: () => number;

  constructor(
    private readonly res: WebhooksResources,
    private readonly opts: WebhooksOptions,
  ) {
    this.hooks = new HookLoader(res.db.pool, res.keyring, opts.hookCacheMs ?? 0, opts.now);
    this.limit = new DeliveryRateLimit(res.redis, res.prefix, { hook: opts.rate, org: opts.orgRate });
    this.quotas = new QuotaGuard(res.db.pool);
    this.now = opts.now ?? Date.now;
  }

  async receive(d: Delivery): Promise<Answer> {
    // The hook's row names its org: found as the maintenance role (the org is not known before
    // it), then everything else acts for that org only (row-level security, README).
    const hook = await asMaintenance(() => this.hooks.load(d.hookId));
    return withOrg(hook.orgId, () => this.receiveFor(hook, d));
  }

  private async receiveFor(hook: HookConfig, d: Delivery): Promise<Answer> {
    const waitMs = await this.limit.take(hook.orgId, hook.id);
    if (waitMs > 0) weftMetrics.rateLimited.inc({ bucket: 'webhook_delivery' });
    if (waitMs > 0) throw new IngressError('rate_limited', "too many deliveries for this webhook or its org's webhooks", undefined, Math.ceil(waitMs / 1000));
    const headers = flatHeaders(d.headers);
    try {
      return await this.accept(hook, d, headers);
    } catch (err) {
      if (err instanceof IngressError && err.code !== 'rate_limited' && err.code !== 'unavailable') {
        await logDelivery(this.res.db.pool, {
          orgId: hook.orgId, webhookId: hook.id, status: 'refused', verified: err.code !== 'invalid_signature', reason: err.code,
          httpStatus: err.status, runId: null, latencyMs: this.now() - d.receivedAt, receivedAt: new Date(d.receivedAt),
        }).catch((e: unknown) => this.res.logger.warn({ err: e, webhookId: hook.id }, 'could not log a refused delivery'));
      }
      throw err;
    }
  }

  private async accept(hook: HookConfig, d: Delivery, headers: Record<string, string>): Promise<Answer> {
    const verdict = verifyDelivery(hook.scheme, { rawBody: d.rawBody, headers }, { secrets: hook.secrets, nowSeconds: Math.floor(this.now() / 1000), header: hook.header ?? undefined });
    weftMetrics.webhookVerifications.inc({ scheme: hook.scheme, result: verdict.ok ? 'ok' : verdict.reason });
    if (!verdict.ok) throw new IngressError('invalid_signature', `${verdict.reason}: ${verdict.message}`);
    const body = await parseBody(headers['content-type'], d.rawBody);
    if (!hook.version) throw new IngressError('no_published_version', 'the workflow of this webhook has no published version');
    const deliveryId = newId();
    const inputs: DeliveryInputs = { body, headers: allowedHeaders(hook, d.headers), query: queryOf(d.url), deliveryId, receivedAt: new Date(d.receivedAt).toISOString() };
    const inputsJson = this.storable(inputs);
    const issues = this.inputIssues(hook, inputs);
    if (issues.length) throw new IngressError('invalid_inputs', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    const dedupeKey = deliveryKey(hook.scheme, headers, body, hook.dedupeHeader) ?? null;
    await this.checkQuota(hook.orgId);
    const started = await this.start(hook, d, deliveryId, dedupeKey, inputsJson);
    if (hook.mode === 'async') return { status: 202, headers: {}, body: { runId: started.runId, deliveryId: started.deliveryId }, deduped: started.deduped };
    const end = await waitForRunEnd(this.res.db.pool, this.res.subscriber, this.res.prefix, hook.orgId, started.runId, hook.syncTimeoutMs);
    if (end) return { ...syncResponse(started.runId, end), deduped: started.deduped };
    return {
      status: 202,
      headers: { location: `${this.opts.gatewayUrl}/v1/runs/${started.runId}` },
      body: { runId: started.runId, deliveryId: started.deliveryId, status: 'running', statusUrl: `${this.opts.gatewayUrl}/v1/runs/${started.runId}` },
      deduped: started.deduped,
    };
  }

  /** The delivery row and its run, committed; or, for a redelivery, the first delivery's run (nothing started). */
  private async start(hook: HookConfig, d: Delivery, deliveryId: string, dedupeKey: string | null, inputsJson: string): Promise<{ runId: string; deliveryId: string; deduped: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const created = await startWebhookRun(this.res.db.pool, {
        orgId: hook.orgId, webhookId: hook.id, versionId: hook.version!.id, deliveryId, dedupeKey, status: 'accepted', inputsJson, replayOf: null,
        latencyMs: this.now() - d.receivedAt, receivedAt: new Date(d.receivedAt), traceParent: d.traceParent ?? null,
      });
      if (created.outcome === 'created') {
        void publishOutbox(this.res.db.pool, this.res.queues, created.outbox.ids, created.outbox.jobs, this.res.logger, this.res.outboxDeletes);
        this.quotas.runStarted(hook.orgId);
        return { runId: created.runId, deliveryId, deduped: false };
      }
      if (created.outcome === 'no-version') throw new IngressError('no_published_version', 'the workflow version of this webhook is gone');
      const first = await deliveryByKey(this.res.db.pool, hook.id, dedupeKey!);
      const stale = first && this.now() - first.receivedAt.getTime() > this.opts.dedupeWindowMs;
      if (first?.runId && !stale) {
        await logDelivery(this.res.db.pool, {
          orgId: hook.orgId, webhookId: hook.id, status: 'deduped', verified: true, reason: null, httpStatus: 202, runId: first.runId,
          latencyMs: this.now() - d.receivedAt, receivedAt: new Date(d.receivedAt),
        });
        return { runId: first.runId, deliveryId: first.id, deduped: true };
      }
      if (attempt >= 2) throw new IngressError('unavailable', 'the delivery could not be recorded; retry');
      if (first && stale) await releaseKey(this.res.db.pool, first.id);
    }
  }

  /** The org's plan refuses new runs (docs/operating/usage.md): 402 or 429 to the sender, logged as a refused delivery. */
  private async checkQuota(orgId: string): Promise<void> {
    const r = await this.quotas.refusal(orgId);
    if (!r) return;
    throw new IngressError(r.status === 402 ? 'quota_exceeded' : 'concurrency_limit', r.message, undefined, r.retryAfterSeconds, {
      quota: r.quota, plan: r.plan, limit: r.limit, used: r.used, resetsAt: r.resetsAt,
    });
  }

  private storable(inputs: DeliveryInputs): string {
    try {
      return serializeWithin(inputs, this.opts.limits, 'the delivery');
    } catch (err) {
      if (err instanceof BudgetExceededError) throw new IngressError('budget_exceeded', err.message, [{ path: 'body', code: 'budget_exceeded', message: err.message }]);
      throw err;
    }
  }

  private inputIssues(hook: HookConfig, inputs: DeliveryInputs) {
    try {
      return triggerInputIssues(hook.version!.id, hook.version!.definition, inputs);
    } catch (err) {
      if (err instanceof UnusableInputSchema) throw new IngressError('invalid_inputs', err.message, err.issues);
      throw err;
    }
  }
}

/** Header values as single strings (Node keeps only set-cookie as an array). */
function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
