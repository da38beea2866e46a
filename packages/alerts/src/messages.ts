import type { AlertCondition } from '@weft/workflow-schema';

export type AlertKind = 'opened' | 'recovered' | 'test';

/** Everything a message says, read from Postgres by the delivery (never from the job). */
export interface AlertContext {
  kind: AlertKind;
  deliveryId: string;
  rule: { id: string; name: string; condition: AlertCondition };
  workflow: { id: string; name: string };
  incident: {
    id: string;
    status: 'open' | 'resolved';
    failures: number;
    firstRunId: string;
    lastRunId: string;
    recoveryRunId: string | null;
    openedAt: Date;
    resolvedAt: Date | null;
  } | null;
  /** The run that opened the incident (its last failure) or resolved it; none for a test. */
  run: { id: string; status: string; error: string | null } | null;
  at: Date;
}

const MAX_ERROR_CHARS = 500;
const percent = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** The condition in words: "a run failed", "3 runs failed in a row", "≥ 50 % of the last 20 runs failed (at least 5 runs)". */
export function describeCondition(c: AlertCondition): string {
  switch (c.type) {
    case 'failure':
      return 'a run failed';
    case 'consecutive_failures':
      return c.count === 1 ? 'a run failed' : `${c.count} runs failed in a row`;
    case 'failure_rate': {
      const window = c.windowRuns !== undefined ? `the last ${c.windowRuns} runs` : `the runs of the last ${c.windowMinutes} minutes`;
      return `≥ ${percent(c.threshold)} of ${window} failed${c.minRuns > 1 ? ` (at least ${c.minRuns} runs)` : ''}`;
    }
  }
}

const clip = (s: string) => (s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s);

export function alertSubject(a: AlertContext): string {
  const what = describeCondition(a.rule.condition);
  switch (a.kind) {
    case 'opened':
      return `[Weft] Alert: ${a.workflow.name}: ${what}`;
    case 'recovered':
      return `[Weft] Resolved: ${a.workflow.name} recovered`;
    case 'test':
      return `[Weft] Test alert: ${a.rule.name}`;
  }
}

/** The plain-text body (email; Slack's text). */
export function alertText(a: AlertContext): string {
  const lines = [alertSubject(a).replace(/^\[Weft\] /, ''), '', `Rule: ${a.rule.name} (${describeCondition(a.rule.condition)})`, `Workflow: ${a.workflow.name} (${a.workflow.id})`];
  if (a.kind === 'test') lines.push('', 'This is a test message: the channel works.');
  if (a.incident) {
    lines.push(`Incident: ${a.incident.id}, opened ${a.incident.openedAt.toISOString()}, ${a.incident.failures} failed run${a.incident.failures === 1 ? '' : 's'}`);
    if (a.incident.resolvedAt) lines.push(`Resolved: ${a.incident.resolvedAt.toISOString()}`);
  }
  if (a.run) {
    lines.push(`Run: ${a.run.id} (${a.run.status})`);
    if (a.run.error) lines.push(`Error: ${clip(a.run.error)}`);
  }
  return lines.join('\n');
}

/** Slack's incoming-webhook payload: `text` (the fallback and notification) and one mrkdwn section. */
export function slackPayload(a: AlertContext): { text: string; blocks: unknown[] } {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const [title, ...rest] = alertText(a).split('\n');
  return {
    text: escape(alertSubject(a)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: (title ?? '').slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: escape(rest.filter((l) => l !== '').join('\n')).slice(0, 3000) } },
    ],
  };
}

/** The signed webhook's JSON body, in the Standard Webhooks shape `{ type, timestamp, data }`. */
export function webhookPayload(a: AlertContext) {
  return {
    type: `alert.${a.kind}`,
    timestamp: a.at.toISOString(),
    data: {
      deliveryId: a.deliveryId,
      rule: { id: a.rule.id, name: a.rule.name, condition: a.rule.condition, summary: describeCondition(a.rule.condition) },
      workflow: a.workflow,
      incident: a.incident && {
        ...a.incident,
        openedAt: a.incident.openedAt.toISOString(),
        resolvedAt: a.incident.resolvedAt?.toISOString() ?? null,
      },
      run: a.run && { ...a.run, error: a.run.error === null ? null : clip(a.run.error) },
    },
  };
}
