'use client';
import type { WebhookDelivery, WebhookTestAnswer } from '@weft/workflow-schema';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { watchRun } from '../run/run-actions';

/** What became of a delivery, in words: verified or why not, deduplicated, replayed. */
function outcome(d: WebhookDelivery): string {
  if (d.status === 'refused') return `refused${d.reason ? `: ${d.reason}` : ''}${d.verified ? ' (signature verified)' : ''}`;
  if (d.status === 'deduped') return 'verified · deduplicated (no new run)';
  if (d.status === 'replayed') return 'replayed';
  return 'verified';
}

/**
 * The hook's test event and recent deliveries. "Send test event" asks the gateway to sign a sample
 * payload with the hook's current secret and deliver it through the real ingress (the secret stays
 * on the server); the answer and the new delivery show here. Each delivery: when, verified or why
 * not, deduplicated, latency, HTTP status, the run it started (opens it on the canvas), replay.
 */
export function WebhookDeliveries({ hookId, enabled }: { hookId: string; enabled: boolean }) {
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [test, setTest] = useState<WebhookTestAnswer | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api.listWebhookDeliveries(hookId, { limit: 10 })).items);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [hookId]);
  useEffect(() => void load(), [load]);

  const sendTest = async () => {
    setSending(true);
    setNotice(null);
    try {
      setTest(await api.sendWebhookTestEvent(hookId));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  };

  const replay = async (d: WebhookDelivery) => {
    try {
      const r = await api.replayWebhookDelivery(d.id);
      setNotice(`Replayed: run ${r.runId.slice(-8)} started`);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="webhook-deliveries-panel">
      <div className="webhook-head">
        <button type="button" className="btn btn-sm" onClick={() => void sendTest()} disabled={sending || !enabled} data-testid="send-test-event" title={enabled ? 'Signed on the server with the current secret' : 'Turn the webhook on first'}>
          {sending ? 'Sending…' : 'Send test event'}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {test && (
        <p className="field-help" role="status" data-testid="test-event-result">
          Test event answered <strong>HTTP {test.status}</strong> in {test.latencyMs} ms
          {test.runId && (
            <>
              {' '}· run{' '}
              <button type="button" className="btn-link mono" onClick={() => watchRun(test.runId!)}>
                {test.runId.slice(-8)}
              </button>
            </>
          )}
        </p>
      )}
      {notice && <p className="field-help" role="status">{notice}</p>}
      {error && <p className="field-error">{error}</p>}
      {!items ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No delivery yet: send a test event, or POST to the URL above.</p>
      ) : (
        <table className="webhook-deliveries" data-testid="webhook-deliveries">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Outcome</th>
              <th scope="col">HTTP</th>
              <th scope="col">Latency</th>
              <th scope="col">Run</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                <td className="mono">{new Date(d.receivedAt).toLocaleTimeString()}</td>
                <td>
                  <span className={`badge ${d.status === 'refused' ? 'badge-danger' : 'badge-success'}`}>{d.status}</span> <span className="muted">{outcome(d)}</span>
                </td>
                <td>{d.httpStatus}</td>
                <td>{d.latencyMs != null ? `${d.latencyMs} ms` : '—'}</td>
                <td>
                  {d.runId ? (
                    <button type="button" className="btn-link mono" onClick={() => watchRun(d.runId!)} title="Open this run on the canvas">
                      {d.runId.slice(-8)}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {(d.status === 'accepted' || d.status === 'replayed') && (
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => void replay(d)} aria-label={`Replay delivery ${d.id}`}>
                      Replay
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
