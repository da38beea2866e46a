import type { AlertDelivery, AlertIncident, AlertRule } from '@weft/db';
import type { AlertChannelView, AlertDeliveryView, AlertIncidentView, AlertRuleView } from '@weft/workflow-schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The channel's public part only: never the Slack URL nor the signing secret. */
function channelView(r: AlertRule): AlertChannelView {
  const t = r.target as { to?: string[]; host?: string; url?: string };
  if (r.channel === 'email') return { type: 'email', to: t.to ?? [] };
  if (r.channel === 'slack') return { type: 'slack', host: t.host ?? '' };
  return { type: 'webhook', url: t.url ?? '' };
}

export const ruleView = (r: AlertRule): AlertRuleView => ({
  id: r.id,
  workflowId: r.workflowId,
  name: r.name,
  condition: r.condition as Record<string, unknown>,
  channel: channelView(r),
  notifyRecovery: r.notifyRecovery,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const incidentView = (i: AlertIncident): AlertIncidentView => ({
  id: i.id,
  ruleId: i.ruleId,
  workflowId: i.workflowId,
  status: i.status as AlertIncidentView['status'],
  failures: i.failures,
  firstRunId: i.firstRunId,
  lastRunId: i.lastRunId,
  recoveryRunId: i.recoveryRunId,
  openedAt: i.openedAt.toISOString(),
  resolvedAt: iso(i.resolvedAt),
});

export const deliveryView = (
  d: AlertDelivery & { attempts: { attempt: number; ok: boolean; response_code: number | null; error: string | null; at: Date }[] },
): AlertDeliveryView => ({
  id: d.id,
  ruleId: d.ruleId,
  incidentId: d.incidentId,
  kind: d.kind as AlertDeliveryView['kind'],
  status: d.status as AlertDeliveryView['status'],
  attempts: d.attempts.map((a) => ({ attempt: a.attempt, ok: a.ok, responseCode: a.response_code, error: a.error, at: a.at.toISOString() })),
  createdAt: d.createdAt.toISOString(),
  deliveredAt: iso(d.deliveredAt),
});
