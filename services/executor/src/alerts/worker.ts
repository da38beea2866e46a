import { deliverAlert, evaluateRunAlerts, notifyApproval, TransportError, type AlertTransport } from '@weft/alerts';
import type { Keyring } from '@weft/crypto';
import type { Logger } from '@weft/logger';
import type { Mailer } from '@weft/mail';
import { QUEUES, createWorker, type Queues } from '@weft/queue';
import type { RedisClient } from '@weft/queue';
import { RunOrgs } from '@weft/run-store';
import type { Pool } from 'pg';
import { StepFailure } from '../errors';
import type { StepHttpClient } from '../http/client';
import { approvalSlackUrl } from './approval-slack-url';

export interface AlertWorkerOptions {
  pool: Pool;
  queues: Queues;
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  keyring: Keyring | undefined;
  /** The SSRF-checked client of steps (its address policy and allow-list). */
  http: StepHttpClient;
  /** The platform's mailer (WEFT_SMTP_URL, or the development mailbox); null: email alerts fail. */
  mailer: Mailer | null;
  concurrency: number;
  /** How long one HTTP delivery may take (ms). */
  timeoutMs?: number;
  /** Base URL of the dashboard, for approval links (`notify-approval`). */
  dashboardUrl: string;
}

/** Alerts' way out: Slack and webhooks through the steps' SSRF-checked client, email through the platform mailer. */
function transportOf(o: AlertWorkerOptions): AlertTransport {
  return {
    async post(orgId, url, headers, body) {
      try {
        const res = await o.http.send({ orgId, method: 'POST', url, headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
        return { status: res.status };
      } catch (err) {
        if (err instanceof StepFailure) throw new TransportError(`${err.code}: ${err.message}`, err.retryable);
        throw new TransportError((err as Error).message ?? String(err), true);
      }
    },
    async mail(mail) {
      if (!o.mailer) throw new TransportError('no mailer: set WEFT_SMTP_URL (or WEFT_DEV_MAILBOX in development)', false);
      try {
        return await o.mailer.send(mail);
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // SMTP 5xx is permanent (a refused recipient), 4xx and no answer are worth another try.
        throw new TransportError((err as Error).message ?? String(err), !(typeof code === 'number' && code >= 500), code ?? null);
      }
    },
  };
}

/**
 * The alerts queue's worker: `evaluate-alerts` (a run of a workflow with rules ended),
 * `notify-approval` (approve/reject links of a waiting approval, docs/approvals.md) and
 * `deliver-alert` (send one message; a try that may succeed later throws, so BullMQ retries it
 * with backoff). Jobs carry ids only. A worker that dies mid-job leaves a stalled job that BullMQ
 * gives to another worker (up to maxStalledCount times).
 */
export function startAlertWorker(o: AlertWorkerOptions) {
  const transport = transportOf(o);
  const notice = { pool: o.pool, transport, dashboardUrl: o.dashboardUrl, slackUrl: approvalSlackUrl.bind(null, { pool: o.pool, keyring: o.keyring }) };
  const runOrgs = new RunOrgs(o.pool);
  const worker = createWorker(
    QUEUES.alerts,
    async (job) => {
      const data = job.data as { runId?: string; deliveryId?: string; stepId?: string };
      // An approval notice reads the step, the org's members and writes its messages and links: the
      // maintenance role (the worker's default outside a job's run scope), as alert deliveries are found.
      if (job.name === 'notify-approval' && data.stepId) {
        const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const outcome = await notifyApproval(notice, data.stepId, { lastTry });
        o.logger.info({ stepId: data.stepId, runId: data.runId, outcome, attempt: job.attemptsMade + 1 }, 'approval notice');
        if (outcome === 'retry') throw new Error('an approval message was not sent; BullMQ retries it with backoff');
        return;
      }
      if (job.name === 'evaluate-alerts' && data.runId) {
        // Acts for the run's org (row-level security); a run gone (retention) has nothing to evaluate.
        const runId = data.runId;
        await runOrgs.forRun(runId, () => evaluateRunAlerts(o.pool, o.queues, runId, { logger: o.logger }), () => undefined);
        return;
      }
      // A delivery is found by its id alone: the maintenance role (deliver.ts).
      if (job.name === 'deliver-alert' && data.deliveryId) {
        const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const outcome = await deliverAlert(o.pool, o.keyring, transport, data.deliveryId, { lastTry });
        o.logger.info({ deliveryId: data.deliveryId, outcome, attempt: job.attemptsMade + 1 }, 'alert delivery');
        if (outcome === 'retry') throw new Error('alert delivery failed; BullMQ retries it with backoff');
      }
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency, maxStalledCount: 10 },
  );
  worker.on('error', (err) => o.logger.error({ err }, 'alerts worker error'));
  return worker;
}
