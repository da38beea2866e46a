import type { Envelope, Keyring } from '@weft/crypto';
import { asMaintenance, newId, withOrg } from '@weft/db';
import type { Mail } from '@weft/mail';
import { rows, runForAlerts, withTx, type Queryable } from '@weft/run-store';
import { signStandard } from '@weft/webhook-signatures';
import { AlertConditionSchema } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { alertSubject, alertText, slackPayload, webhookPayload, type AlertContext, type AlertKind } from './messages';
import { openRuleSecret } from './rule-secrets';

/** How alerts reach the outside: HTTP through the SSRF-checked client, mail through the platform's mailer. */
export interface AlertTransport {
  /** POSTs `body`; resolves with the answer's status, rejects with a `TransportError` when no answer came. */
  post(orgId: string, url: string, headers: Record<string, string>, body: string): Promise<{ status: number }>;
  /** Sends a message; resolves with the SMTP reply code when there is one. */
  mail(mail: Mail): Promise<{ code?: number } | void>;
}

/** A failure with no answer to record as a status (network, refused address), or an SMTP reply code. */
export class TransportError extends Error {
  constructor(
    message: string,
    /** False when trying again cannot help (an address the policy refuses, a malformed URL, an SMTP 5xx). */
    readonly retryable: boolean,
    readonly responseCode: number | null = null,
  ) {
    super(message);
  }
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'retry' | 'skipped';

interface DeliveryRow {
  id: string;
  org_id: string;
  kind: AlertKind;
  status: string;
  incident_id: string | null;
  rule_id: string;
  rule_name: string;
  condition: unknown;
  channel: 'email' | 'slack' | 'webhook';
  target: { to?: string[]; url?: string };
  ciphertext: Buffer | null;
  nonce: Buffer | null;
  wrapped_key: Buffer | null;
  kek_id: string | null;
  workflow_id: string;
  workflow_name: string;
}

interface IncidentRow {
  id: string;
  status: 'open' | 'resolved';
  failures: number;
  first_run_id: string;
  last_run_id: string;
  recovery_run_id: string | null;
  opened_at: Date;
  resolved_at: Date | null;
}

/** An answer that trying again cannot change: a 4xx other than 408 (timeout) and 429 (slow down). */
const permanentStatus = (s: number) => s >= 400 && s < 500 && s !== 408 && s !== 429;

const errorText = (e: unknown): string | null => {
  if (e === null || e === undefined) return null;
  if (typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    const code = (e as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${(e as { message: string }).message}`;
  }
  return JSON.stringify(e);
};

async function contextOf(q: Queryable, d: DeliveryRow, now: Date): Promise<AlertContext> {
  const [incident] = d.incident_id
    ? await rows<IncidentRow>(q, `SELECT id, status, failures, first_run_id, last_run_id, recovery_run_id, opened_at, resolved_at FROM alert_incidents WHERE id = $1`, [d.incident_id])
    : [];
  const runId = incident ? (d.kind === 'recovered' ? incident.recovery_run_id : incident.last_run_id) : null;
  const run = runId ? await runForAlerts(q, runId) : undefined;
  return {
    kind: d.kind,
    deliveryId: d.id,
    rule: { id: d.rule_id, name: d.rule_name, condition: AlertConditionSchema.parse(d.condition) },
    workflow: { id: d.workflow_id, name: d.workflow_name },
    incident: incident
      ? { id: incident.id, status: incident.status, failures: incident.failures, firstRunId: incident.first_run_id, lastRunId: incident.last_run_id, recoveryRunId: incident.recovery_run_id, openedAt: incident.opened_at, resolvedAt: incident.resolved_at }
      : null,
    run: run ? { id: run.id, status: run.status, error: errorText(run.error) } : null,
    at: now,
  };
}

function secretOf(keyring: Keyring | undefined, d: DeliveryRow): string {
  if (!d.ciphertext || !d.nonce || !d.wrapped_key || !d.kek_id) throw new TransportError('the channel has no stored secret', false);
  if (!keyring) throw new TransportError('no key-encryption keys (WEFT_KEKS) to open the channel secret', true);
  const envelope: Envelope = { ciphertext: d.ciphertext, nonce: d.nonce, wrappedKey: d.wrapped_key, kekId: d.kek_id };
  return openRuleSecret(keyring, d.org_id, d.rule_id, envelope);
}

/** Sends the message on the rule's channel; resolves with the answer's code, throws TransportError otherwise. */
async function send(transport: AlertTransport, keyring: Keyring | undefined, d: DeliveryRow, a: AlertContext): Promise<number | null> {
  if (d.channel === 'email') {
    const sent = await transport.mail({ to: (d.target.to ?? []).join(', '), subject: alertSubject(a), text: alertText(a) });
    return sent?.code ?? null;
  }
  const body = JSON.stringify(d.channel === 'slack' ? slackPayload(a) : webhookPayload(a));
  const secret = secretOf(keyring, d);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let url = secret;
  if (d.channel === 'webhook') {
    url = d.target.url ?? '';
    // Standard Webhooks: the id is the same on every try of one message, the timestamp is the try's.
    const id = `msg_${d.id}`;
    const ts = Math.floor(a.at.getTime() / 1000);
    Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signStandard(secret, id, ts, body) });
  }
  const { status } = await transport.post(d.org_id, url, headers, body);
  if (status < 200 || status >= 300) throw new TransportError(`answered ${status}`, !permanentStatus(status), status);
  return status;
}

/**
 * One try of a delivery, under its row lock (SKIP LOCKED: a second job for the same delivery, or
 * a stalled one re-run while the first is still sending, does nothing): builds the message from
 * Postgres, sends it, records the attempt (ok, response code, error) and settles the row:
 * `delivered`, `failed` (an answer that cannot improve, or `lastTry`) or left `pending` for the
 * job's next try (`retry`: the caller throws, BullMQ backs off). A worker that dies mid-send
 * rolls back: no attempt is recorded and BullMQ gives the stalled job to another worker.
 */
export async function deliverAlert(pool: Pool, keyring: Keyring | undefined, transport: AlertTransport, deliveryId: string, opts: { lastTry: boolean; now?: Date }): Promise<DeliveryOutcome> {
  // The job names the delivery only: its org is read from its row as the maintenance role, then
  // the delivery acts for that org alone (row-level security: its rule, workflow, runs, attempts).
  const [found] = await asMaintenance(() => rows<{ org_id: string }>(pool, 'SELECT org_id FROM alert_deliveries WHERE id = $1', [deliveryId]));
  if (!found) return 'skipped';
  return withOrg(found.org_id, () =>
    withTx(pool, async (c) => {
      const [d] = await rows<DeliveryRow>(
        c,
        `SELECT d.id, d.org_id, d.kind, d.status, d.incident_id, r.id AS rule_id, r.name AS rule_name, r.condition, r.channel, r.target,
                r.ciphertext, r.nonce, r.wrapped_key, r.kek_id, w.id AS workflow_id, w.name AS workflow_name
         FROM alert_deliveries d JOIN alert_rules r ON r.id = d.rule_id JOIN workflows w ON w.id = r.workflow_id
         WHERE d.id = $1 FOR UPDATE OF d SKIP LOCKED`,
        [deliveryId],
      );
      if (!d || d.status !== 'pending') return 'skipped';
      const context = await contextOf(c, d, opts.now ?? new Date());
      const [{ n }] = (await rows<{ n: number }>(c, `SELECT count(*)::int AS n FROM alert_delivery_attempts WHERE delivery_id = $1`, [d.id])) as [{ n: number }];
      let outcome: DeliveryOutcome;
      let code: number | null;
      let error: string | null = null;
      try {
        code = await send(transport, keyring, d, context);
        outcome = 'delivered';
      } catch (err) {
        const retryable = err instanceof TransportError ? err.retryable : true;
        code = err instanceof TransportError ? err.responseCode : null;
        error = (err as Error).message ?? String(err);
        outcome = retryable && !opts.lastTry ? 'retry' : 'failed';
      }
      await c.query(`INSERT INTO alert_delivery_attempts (id, org_id, delivery_id, attempt, ok, response_code, error) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        newId(), d.org_id, d.id, n + 1, outcome === 'delivered', code, error,
      ]);
      if (outcome !== 'retry') {
        await c.query(`UPDATE alert_deliveries SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END WHERE id = $1`, [d.id, outcome]);
      }
      return outcome;
    }),
  );
}
