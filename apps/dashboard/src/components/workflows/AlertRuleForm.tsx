'use client';
import type { AlertChannelInput, AlertCondition, AlertRuleView } from '@weft/workflow-schema';
import { useState } from 'react';

type ConditionType = AlertCondition['type'];
type ChannelType = AlertChannelInput['type'];

export interface AlertRuleDraft {
  name: string;
  condition: AlertCondition;
  /** Absent when editing a rule whose channel stays as it is (its secret is never shown). */
  channel?: AlertChannelInput;
  notifyRecovery: boolean;
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

/** The condition from the form's fields (the API checks it and names a bad field). */
function conditionOf(type: ConditionType, f: { count: string; threshold: string; window: string; windowKind: 'runs' | 'minutes'; minRuns: string }): AlertCondition {
  if (type === 'failure') return { type };
  if (type === 'consecutive_failures') return { type, count: num(f.count) };
  return { type, threshold: num(f.threshold) / 100, minRuns: num(f.minRuns), ...(f.windowKind === 'runs' ? { windowRuns: num(f.window) } : { windowMinutes: num(f.window) }) };
}

/** Adds or edits a rule: the condition, the channel (left blank on edit: it stays), recovery notices. */
export function AlertRuleForm({ rule, onSubmit, onCancel }: { rule?: AlertRuleView; onSubmit: (d: AlertRuleDraft) => Promise<void>; onCancel: () => void }) {
  const c = (rule?.condition ?? { type: 'failure' }) as Record<string, unknown>;
  const [name, setName] = useState(rule?.name ?? '');
  const [type, setType] = useState<ConditionType>((c.type as ConditionType) ?? 'failure');
  const [count, setCount] = useState(String(c.count ?? 3));
  const [threshold, setThreshold] = useState(String(Math.round(Number(c.threshold ?? 0.5) * 100)));
  const [windowKind, setWindowKind] = useState<'runs' | 'minutes'>(c.windowMinutes !== undefined ? 'minutes' : 'runs');
  const [window, setWindow] = useState(String(c.windowRuns ?? c.windowMinutes ?? 20));
  const [minRuns, setMinRuns] = useState(String(c.minRuns ?? 5));
  const [channelType, setChannelType] = useState<ChannelType>(rule?.channel.type ?? 'email');
  const [target, setTarget] = useState('');
  const [notifyRecovery, setNotifyRecovery] = useState(rule?.notifyRecovery ?? true);
  const [busy, setBusy] = useState(false);

  const channel = (): AlertChannelInput | undefined => {
    if (rule && target.trim() === '' && channelType === rule.channel.type) return undefined;
    if (channelType === 'email') return { type: 'email', to: target.split(',').map((s) => s.trim()).filter(Boolean) };
    if (channelType === 'slack') return { type: 'slack', webhookUrl: target.trim() };
    return { type: 'webhook', url: target.trim() };
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const ch = channel();
      await onSubmit({ name, condition: conditionOf(type, { count, threshold, window, windowKind, minRuns }), notifyRecovery, ...(ch ? { channel: ch } : {}) });
    } finally {
      setBusy(false);
    }
  };
  const targetLabel = channelType === 'email' ? 'Recipients (comma-separated)' : channelType === 'slack' ? 'Slack incoming-webhook URL' : 'Webhook URL (signed, Standard Webhooks)';
  return (
    <form className="alert-form" onSubmit={(e) => void submit(e)} aria-label={rule ? `Edit alert ${rule.name}` : 'New alert'} data-testid="alert-form">
      <label className="field">
        <span className="field-label">Name</span>
        <input className="input" required value={name} onChange={(e) => setName(e.target.value)} data-testid="alert-name" />
      </label>
      <label className="field">
        <span className="field-label">When</span>
        <select className="input" value={type} onChange={(e) => setType(e.target.value as ConditionType)} data-testid="alert-condition">
          <option value="failure">a run fails</option>
          <option value="consecutive_failures">N runs fail in a row</option>
          <option value="failure_rate">the failure rate is over a threshold</option>
        </select>
      </label>
      {type === 'consecutive_failures' && (
        <label className="field">
          <span className="field-label">Failures in a row</span>
          <input className="input" type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} data-testid="alert-count" />
        </label>
      )}
      {type === 'failure_rate' && (
        <div className="alert-rate">
          <label className="field">
            <span className="field-label">Failed (%)</span>
            <input className="input" type="number" min={1} max={100} value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="alert-threshold" />
          </label>
          <label className="field">
            <span className="field-label">of the last</span>
            <input className="input" type="number" min={1} value={window} onChange={(e) => setWindow(e.target.value)} data-testid="alert-window" />
          </label>
          <label className="field">
            <span className="field-label">window</span>
            <select className="input" value={windowKind} onChange={(e) => setWindowKind(e.target.value as 'runs' | 'minutes')} data-testid="alert-window-kind">
              <option value="runs">runs</option>
              <option value="minutes">minutes</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">with at least (runs)</span>
            <input className="input" type="number" min={1} value={minRuns} onChange={(e) => setMinRuns(e.target.value)} data-testid="alert-min-runs" />
          </label>
        </div>
      )}
      <label className="field">
        <span className="field-label">Send to</span>
        <select className="input" value={channelType} onChange={(e) => setChannelType(e.target.value as ChannelType)} data-testid="alert-channel">
          <option value="email">Email</option>
          <option value="slack">Slack</option>
          <option value="webhook">Signed webhook</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">{targetLabel}</span>
        <input className="input" required={!rule} value={target} onChange={(e) => setTarget(e.target.value)} data-testid="alert-target"
          placeholder={rule && channelType === rule.channel.type ? 'unchanged' : undefined} />
      </label>
      <label className="field field-inline">
        <input type="checkbox" checked={notifyRecovery} onChange={(e) => setNotifyRecovery(e.target.checked)} data-testid="alert-recovery" />
        <span>Also tell when it recovers</span>
      </label>
      <div className="row">
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="alert-save">{rule ? 'Save' : 'Add alert'}</button>
      </div>
    </form>
  );
}
