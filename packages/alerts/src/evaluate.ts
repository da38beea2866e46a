import { newId } from '@weft/db';
import type { Logger } from '@weft/logger';
import { jobFor, type Queues } from '@weft/queue';
import { failedRunsSince, failureStreakStart, finishedRunsForAlerts, insertOutbox, publishOutbox, rows, runForAlerts, withTx, type Queryable } from '@weft/run-store';
import { AlertConditionSchema, MAX_ALERT_WINDOW_RUNS, type AlertCondition } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { decideAlert, runsNeeded, windowStart, type FinishedRun } from './decide';
import type { AlertKind } from './messages';

interface RuleRow {
  id: string;
  condition: unknown;
  notify_recovery: boolean;
}

interface OpenIncident {
  id: string;
  first_run_id: string;
}

export interface EvaluationResult {
  opened: string[];
  resolved: string[];
  deliveries: string[];
}

/** The run an incident starts from: the first failure of the streak or window that made the condition hold. */
function firstFailure(condition: AlertCondition, recent: readonly FinishedRun[], now: Date): FinishedRun {
  const failed = recent.filter((r) => r.status === 'failed');
  switch (condition.type) {
    case 'failure':
      return recent[0]!;
    case 'consecutive_failures':
      return recent[condition.count - 1]!;
    case 'failure_rate': {
      const since = windowStart(condition, now);
      const inWindow = since ? failed.filter((r) => r.createdAt >= since) : recent.slice(0, condition.windowRuns).filter((r) => r.status === 'failed');
      return inWindow[inWindow.length - 1] ?? recent[0]!;
    }
  }
}

/** Inserts a delivery row and returns its id (its job goes to the outbox with it). */
export async function insertDelivery(q: Queryable, orgId: string, ruleId: string, incidentId: string | null, kind: AlertKind): Promise<string> {
  const id = newId();
  await q.query(`INSERT INTO alert_deliveries (id, org_id, rule_id, incident_id, kind) VALUES ($1, $2, $3, $4, $5)`, [id, orgId, ruleId, incidentId, kind]);
  return id;
}

/**
 * Evaluates the alert rules of the workflow of a run that ended, in ONE transaction: the rules are
 * locked (two evaluations of one workflow take turns), each rule's decision is made from the
 * workflow's latest finished runs (`decideAlert`), incidents are opened (the partial unique index
 * keeps one open per rule even without the lock), counted or resolved, and each message to send
 * becomes a delivery row plus its deliver-alert job in the outbox, published after the commit.
 * Repeating it (a job delivered twice) changes nothing and sends nothing twice.
 */
export async function evaluateRunAlerts(pool: Pool, queues: Queues, runId: string, opts: { now?: Date; logger?: Logger } = {}): Promise<EvaluationResult> {
  const now = opts.now ?? new Date();
  const result: EvaluationResult = { opened: [], resolved: [], deliveries: [] };
  // In the caller's scope: the alerts worker acts for the run's org (RunOrgs), so the rules, runs,
  // incidents and deliveries it reads and writes are that org's only.
  const outbox = await withTx(pool, async (c) => {
    const run = await runForAlerts(c, runId);
    if (!run || (run.status !== 'succeeded' && run.status !== 'failed')) return { ids: [], jobs: [] };
    const rules = await rows<RuleRow>(
      c,
      `SELECT id, condition, notify_recovery FROM alert_rules WHERE org_id = $1 AND workflow_id = $2 AND enabled ORDER BY id FOR UPDATE`,
      [run.orgId, run.workflowId],
    );
    for (const rule of rules) {
      const parsed = AlertConditionSchema.safeParse(rule.condition);
      if (!parsed.success) {
        opts.logger?.warn({ ruleId: rule.id }, 'alert rule with an unreadable condition skipped');
        continue;
      }
      const condition = parsed.data;
      const recent = await finishedRunsForAlerts(c, run.orgId, run.workflowId, runsNeeded(condition, MAX_ALERT_WINDOW_RUNS), windowStart(condition, now));
      const [open] = await rows<OpenIncident>(c, `SELECT id, first_run_id FROM alert_incidents WHERE rule_id = $1 AND org_id = $2 AND status = 'open'`, [rule.id, run.orgId]);
      const decision = decideAlert(condition, recent, !!open, now);
      const latest = recent[0];
      if (decision.action === 'open' && latest) {
        const first = await failureStreakStart(c, run.orgId, run.workflowId, firstFailure(condition, recent, now).id);
        const failures = await failedRunsSince(c, run.orgId, run.workflowId, first);
        const inserted = await rows<{ id: string }>(
          c,
          `INSERT INTO alert_incidents (id, org_id, rule_id, workflow_id, failures, first_run_id, last_run_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (rule_id) WHERE status = 'open' DO NOTHING RETURNING id`,
          [newId(), run.orgId, rule.id, run.workflowId, failures, first, latest.id],
        );
        if (inserted[0]) {
          result.opened.push(inserted[0].id);
          result.deliveries.push(await insertDelivery(c, run.orgId, rule.id, inserted[0].id, 'opened'));
        }
      } else if (open && latest && (decision.action === 'count' || decision.action === 'resolve')) {
        // A run that started before the incident's first failure and failed since joins its streak.
        const first = await failureStreakStart(c, run.orgId, run.workflowId, open.first_run_id);
        const failures = await failedRunsSince(c, run.orgId, run.workflowId, first);
        const resolve = decision.action === 'resolve';
        await c.query(
          `UPDATE alert_incidents SET failures = $3, last_run_id = $4, first_run_id = $5, updated_at = now()
             ${resolve ? `, status = 'resolved', resolved_at = now(), recovery_run_id = $4` : ''}
           WHERE id = $1 AND org_id = $2 AND status = 'open'`,
          [open.id, run.orgId, failures, latest.id, first],
        );
        if (resolve) {
          result.resolved.push(open.id);
          if (rule.notify_recovery) result.deliveries.push(await insertDelivery(c, run.orgId, rule.id, open.id, 'recovered'));
        }
      }
    }
    const jobs = result.deliveries.map((id) => jobFor.deliverAlert(id));
    return { ids: await insertOutbox(c, run.orgId, jobs), jobs };
  });
  await publishOutbox(pool, queues, outbox.ids, outbox.jobs, opts.logger);
  return result;
}

/** A test message to a rule's channel: its delivery row and job (published after the commit). */
export async function queueTestDelivery(pool: Pool, queues: Queues, orgId: string, ruleId: string, logger?: Logger): Promise<string> {
  const { id, ids, jobs } = await withTx(pool, async (c) => {
    const deliveryId = await insertDelivery(c, orgId, ruleId, null, 'test');
    const job = [jobFor.deliverAlert(deliveryId)];
    return { id: deliveryId, ids: await insertOutbox(c, orgId, job), jobs: job };
  });
  await publishOutbox(pool, queues, ids, jobs, logger);
  return id;
}
