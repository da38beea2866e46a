'use client';
import type { AlertDeliveryView, AlertIncidentView, AlertRuleView } from '@weft/workflow-schema';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { AlertRuleForm, type AlertRuleDraft } from './AlertRuleForm';

/** The condition in words (as the messages say it). */
function conditionText(c: Record<string, unknown>): string {
  if (c.type === 'consecutive_failures') return `${String(c.count)} runs fail in a row`;
  if (c.type === 'failure_rate') {
    const window = c.windowRuns !== undefined ? `the last ${String(c.windowRuns)} runs` : `the last ${String(c.windowMinutes)} minutes`;
    return `≥ ${Math.round(Number(c.threshold) * 100)} % of ${window} fail (at least ${String(c.minRuns)} runs)`;
  }
  return 'a run fails';
}

function channelText(ch: AlertRuleView['channel']): string {
  if (ch.type === 'email') return `email ${ch.to.join(', ')}`;
  if (ch.type === 'slack') return `Slack (${ch.host})`;
  return `webhook ${ch.url}`;
}

const deliveryText = (d: AlertDeliveryView) => {
  const last = d.attempts[d.attempts.length - 1];
  return `${d.kind} ${d.status}${last?.responseCode ? ` (${last.responseCode})` : ''}${last?.error ? `: ${last.error}` : ''}`;
};

/** A workflow's alert rules (add, edit, enable, test, delete) and its incidents. */
export function WorkflowAlerts({ workflowId }: { workflowId: string }) {
  const [rules, setRules] = useState<AlertRuleView[] | null>(null);
  const [incidents, setIncidents] = useState<AlertIncidentView[]>([]);
  const [lastDelivery, setLastDelivery] = useState<Record<string, AlertDeliveryView | 'queued' | undefined>>({});
  const [editing, setEditing] = useState<AlertRuleView | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [r, i] = await Promise.all([api.listAlerts(workflowId), api.listAlertIncidents({ workflowId, limit: 20 })]);
      setRules(r.items);
      setIncidents(i.items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [workflowId]);
  useEffect(() => void load(), [load]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(`${what}: ${errorMessage(err)}`);
    }
  };
  const save = async (d: AlertRuleDraft) => {
    const target = editing;
    await act('The alert was not saved', async () => {
      const saved = target === 'new' || !target ? await api.createAlert(workflowId, { ...d, channel: d.channel! }) : await api.updateAlert(target.id, d);
      setSecret(saved.secret ?? null);
      setEditing(null);
    });
  };
  const test = async (rule: AlertRuleView) => {
    await act('The test was not sent', async () => {
      setLastDelivery((m) => ({ ...m, [rule.id]: 'queued' }));
      const { deliveryId } = await api.testAlert(rule.id);
      // The delivery is asynchronous: follow it until it settles (or give up showing it).
      for (let i = 0; i < 120; i++) {
        const d = (await api.alertDeliveries(rule.id, { limit: 5 })).items.find((x) => x.id === deliveryId);
        if (d) setLastDelivery((m) => ({ ...m, [rule.id]: d }));
        if (d && d.status !== 'pending') return;
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
  };

  return (
    <section className="card" aria-labelledby="alerts-title" data-testid="alerts-section">
      <div className="row-between">
        <h2 id="alerts-title">Alerts</h2>
        {editing === null && <button className="btn" onClick={() => setEditing('new')} data-testid="alert-add">Add alert</button>}
      </div>
      {error && <p className="error-note" role="alert">{error}</p>}
      {secret && (
        <p className="muted" role="status" data-testid="alert-secret">
          Signing secret (shown once): <code>{secret}</code>
        </p>
      )}
      {editing !== null && <AlertRuleForm {...(editing === 'new' ? {} : { rule: editing })} onSubmit={save} onCancel={() => setEditing(null)} />}
      {rules?.length === 0 && editing === null && <p className="muted">No alerts: nobody is told when a run of this workflow fails.</p>}
      {rules && rules.length > 0 && (
        <table className="table">
          <thead><tr><th>Name</th><th>When</th><th>To</th><th>On</th><th /></tr></thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid="alert-row" data-alert-id={r.id}>
                <td>{r.name}</td>
                <td>{conditionText(r.condition)}{r.notifyRecovery ? ', and on recovery' : ''}</td>
                <td>{channelText(r.channel)}</td>
                <td>
                  <input type="checkbox" aria-label={`${r.name} enabled`} checked={r.enabled} onChange={() => void act('Not changed', () => api.updateAlert(r.id, { enabled: !r.enabled }))} data-testid="alert-enabled" />
                </td>
                <td className="row-buttons">
                  <button className="btn" onClick={() => void test(r)} data-testid="alert-test">Send test</button>
                  <button className="btn" onClick={() => setEditing(r)} data-testid="alert-edit">Edit</button>
                  <button className="btn" onClick={() => void act('Not deleted', () => api.deleteAlert(r.id))} data-testid="alert-delete">Delete</button>
                  {lastDelivery[r.id] && (
                    <span className="muted" data-testid="alert-test-result">{lastDelivery[r.id] === 'queued' ? 'test queued' : deliveryText(lastDelivery[r.id] as AlertDeliveryView)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Incidents</h3>
      {incidents.length === 0 ? (
        <p className="muted" data-testid="no-incidents">No incidents.</p>
      ) : (
        <table className="table">
          <thead><tr><th>Status</th><th>Alert</th><th>Failed runs</th><th>Opened</th><th>Resolved</th></tr></thead>
          <tbody>
            {incidents.map((i) => (
              <tr key={i.id} data-testid="incident-row" data-status={i.status}>
                <td>{i.status}</td>
                <td>{rules?.find((r) => r.id === i.ruleId)?.name ?? i.ruleId}</td>
                <td>{i.failures}</td>
                <td>{new Date(i.openedAt).toLocaleString()}</td>
                <td>{i.resolvedAt ? new Date(i.resolvedAt).toLocaleString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
