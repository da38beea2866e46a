import { asMaintenance, newId } from '@weft/db';
import { approvalStepForLinks, rows, withTx, type ApprovalStepForLinks, type Queryable } from '@weft/run-store';
import { ApprovalAssigneesSchema, ApprovalNotifySchema, DEFAULT_APPROVAL_LINK_TTL_MS } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { TransportError, type AlertTransport } from '../deliver';
import { approvalSlackPayload, approvalSubject, approvalText, type ApprovalNotice } from './messages';
import { newLinkToken } from './link-tokens';

export interface ApprovalNoticeDeps {
  pool: Pool;
  /** The alerts' way out (SSRF-checked HTTP, the platform mailer): one Slack and mail path for both. */
  transport: AlertTransport;
  /** Base URL of the dashboard: links point at its `/approve/<token>` page. */
  dashboardUrl: string;
  /** The Slack webhook URL of the node (`{{ secrets.NAME }}` resolved for the step's org); throws TransportError. */
  slackUrl(step: ApprovalStepForLinks, template: string): Promise<string>;
}

export type NoticeOutcome = 'sent' | 'retry' | 'skipped';

interface Recipient {
  channel: 'email' | 'slack';
  recipient: string;
}

/** Who hears of the step: the named emails and every member holding the assigned role (email), and the Slack channel. */
async function recipientsOf(q: Queryable, step: ApprovalStepForLinks): Promise<{ list: Recipient[]; slackUrl?: string; ttlMs: number } | undefined> {
  const notify = ApprovalNotifySchema.safeParse(step.input?.notify);
  if (!notify.success) return undefined;
  const list: Recipient[] = [];
  if (notify.data.email) {
    const assignees = ApprovalAssigneesSchema.safeParse(step.input?.assignees);
    const emails = new Set(assignees.success ? (assignees.data.emails ?? []) : []);
    if (assignees.success && assignees.data.role) {
      const members = await rows<{ email: string }>(
        q,
        `SELECT lower(u.email) AS email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.role = $2 ORDER BY u.email`,
        [step.orgId, assignees.data.role],
      );
      for (const m of members) emails.add(m.email);
    }
    for (const e of [...emails].sort()) list.push({ channel: 'email', recipient: e });
  }
  if (notify.data.slack) list.push({ channel: 'slack', recipient: 'slack' });
  return { list, ...(notify.data.slack ? { slackUrl: notify.data.slack.webhookUrl } : {}), ttlMs: notify.data.linkTtlMs ?? DEFAULT_APPROVAL_LINK_TTL_MS };
}

/**
 * Tells the recipients of a waiting approval step (the `notify-approval` job; ids only). Each
 * recipient has one `approval_messages` row (made once: a repeated job sends nothing twice),
 * sent in its own transaction under the row's lock: two links (approve, reject) are made, the
 * message is sent, and the row settles `sent`, or the links are dropped and the row stays
 * `pending` for the job's next try (`retry`) or settles `failed` (an answer that cannot improve,
 * or `lastTry`). Only hashes of the tokens are stored; the tokens exist in the message alone.
 * A step no longer waiting (decided, timed out, cancelled) tells nobody.
 */
export async function notifyApproval(deps: ApprovalNoticeDeps, stepId: string, opts: { lastTry: boolean; now?: () => Date }): Promise<NoticeOutcome> {
  return asMaintenance(async () => {
    const step = await approvalStepForLinks(deps.pool, stepId);
    if (!step || step.status !== 'waiting' || step.cancelRequested) return 'skipped';
    const plan = await recipientsOf(deps.pool, step);
    if (!plan || plan.list.length === 0) return 'skipped';
    await deps.pool.query(
      `INSERT INTO approval_messages (id, org_id, run_id, step_id, channel, recipient)
       SELECT u.id, $1, $2, $3, u.channel, u.recipient FROM unnest($4::uuid[], $5::text[], $6::text[]) AS u(id, channel, recipient)
       ON CONFLICT (step_id, channel, recipient) DO NOTHING`,
      [step.orgId, step.runId, step.stepId, plan.list.map(() => newId()), plan.list.map((r) => r.channel), plan.list.map((r) => r.recipient)],
    );
    let retry = false;
    for (const r of plan.list) {
      const outcome = await sendOne(deps, step, r, plan.slackUrl, plan.ttlMs, opts);
      if (outcome === 'retry') retry = true;
    }
    return retry ? 'retry' : 'sent';
  });
}

async function sendOne(deps: ApprovalNoticeDeps, step: ApprovalStepForLinks, r: Recipient, slackTemplate: string | undefined, ttlMs: number, opts: { lastTry: boolean; now?: () => Date }): Promise<NoticeOutcome> {
  return withTx(deps.pool, async (c) => {
    const [m] = await rows<{ id: string; attempts: number }>(
      c,
      `SELECT id, attempts FROM approval_messages WHERE step_id = $1 AND channel = $2 AND recipient = $3 AND status = 'pending' FOR UPDATE SKIP LOCKED`,
      [step.stepId, r.channel, r.recipient],
    );
    if (!m) return 'skipped';
    const now = opts.now?.() ?? new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    const approve = newLinkToken();
    const reject = newLinkToken();
    await c.query(
      `INSERT INTO approval_links (id, org_id, message_id, run_id, step_id, node_id, recipient, decision, token_hash, expires_at)
       VALUES ($1, $3, $4, $5, $6, $7, $8, 'approve', $9, $11), ($2, $3, $4, $5, $6, $7, $8, 'reject', $10, $11)`,
      [newId(), newId(), step.orgId, m.id, step.runId, step.stepId, step.nodeId, r.recipient, approve.hash, reject.hash, expiresAt],
    );
    const link = (token: string) => `${deps.dashboardUrl.replace(/\/+$/, '')}/approve/${token}`;
    const notice: ApprovalNotice = {
      workflowName: step.workflowName, runId: step.runId, nodeId: step.nodeId, prompt: step.input?.prompt ?? null,
      approveUrl: link(approve.token), rejectUrl: link(reject.token), expiresAt,
    };
    let error: string | null = null;
    let retryable = false;
    try {
      if (r.channel === 'email') {
        await deps.transport.mail({ to: r.recipient, subject: approvalSubject(notice), text: approvalText(notice) });
      } else {
        const url = await deps.slackUrl(step, slackTemplate ?? '');
        const { status } = await deps.transport.post(step.orgId, url, { 'content-type': 'application/json' }, JSON.stringify(approvalSlackPayload(notice)));
        if (status < 200 || status >= 300) throw new TransportError(`answered ${status}`, status === 408 || status === 429 || status >= 500, status);
      }
    } catch (err) {
      retryable = err instanceof TransportError ? err.retryable : true;
      error = (err as Error).message ?? String(err);
    }
    if (error === null) {
      await c.query(`UPDATE approval_messages SET status = 'sent', attempts = attempts + 1, error = NULL, sent_at = now() WHERE id = $1`, [m.id]);
      return 'sent';
    }
    // Links nobody received are dropped; the next try makes new ones.
    await c.query(`DELETE FROM approval_links WHERE message_id = $1 AND used_at IS NULL`, [m.id]);
    const settle = retryable && !opts.lastTry ? 'pending' : 'failed';
    await c.query(`UPDATE approval_messages SET status = $2, attempts = attempts + 1, error = $3 WHERE id = $1`, [m.id, settle, error]);
    return settle === 'pending' ? 'retry' : 'skipped';
  });
}
