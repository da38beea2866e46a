'use client';
import type { WebhookDelivery, WebhookTestAnswer, WebhookView } from '@weft/workflow-schema';
import { Send } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { shortId, when } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { usePage } from '../../lib/use-page';
import { ErrorNote } from '../EmptyState';

/**
 * A webhook's delivery log (newest first): received, status, verified or why not, the run it
 * started, latency; replay an accepted delivery (a new run), and send a signed test event.
 */
export function WebhookDeliveries({ hook }: { hook: WebhookView }) {
  const { items, error, reload } = usePage(() => api.listWebhookDeliveries(hook.id, { limit: 20 }));
  const [answer, setAnswer] = useState<WebhookTestAnswer | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const { busy, error: actionError, run: act } = useAction(reload);
  const test = () => act(async () => {
    const a = await api.sendWebhookTestEvent(hook.id);
    setAnswer(a);
    setNote(null);
  });
  const replay = (d: WebhookDelivery) => act(async () => {
    const r = await api.replayWebhookDelivery(d.id);
    setNote(`Replayed: run ${shortId(r.runId)} started.`);
    setAnswer(null);
  });
  return (
    <div className="deliveries" data-testid="webhook-deliveries">
      <div className="row-between">
        <h3 className="section-title">Deliveries</h3>
        <button type="button" className="btn btn-sm" onClick={() => void test()} disabled={busy || !hook.enabled} data-testid="webhook-test" title={hook.enabled ? 'Sends a sample event, signed with the current secret, through the real ingress' : 'Enable the webhook first'}>
          <Send size={14} aria-hidden /> Send test event
        </button>
      </div>
      <ErrorNote message={error ?? actionError} />
      {answer && (
        <p className="notice" role="status" data-testid="webhook-test-answer">
          The ingress answered {answer.status} in {answer.latencyMs} ms{answer.runId ? <>; <Link href={`/runs/${answer.runId}`}>run {shortId(answer.runId)}</Link> started</> : ''}.
        </p>
      )}
      {note && <p className="notice" role="status" data-testid="webhook-replay-note">{note}</p>}
      {items?.length === 0 && <p className="muted small">No deliveries yet. POST to the URL above, or send a test event.</p>}
      {!!items?.length && (
        <table className="table" data-testid="deliveries-table">
          <thead><tr><th scope="col">Received</th><th scope="col">Status</th><th scope="col">Verified</th><th scope="col">HTTP</th><th scope="col">Run</th><th scope="col">Latency</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                <td>{when(d.receivedAt)}</td>
                <td>{d.status}{d.replayOf ? <span className="small muted"> (replay)</span> : null}{d.reason ? <div className="small muted">{d.reason}</div> : null}</td>
                <td>{d.verified ? 'yes' : 'no'}</td>
                <td>{d.httpStatus}</td>
                <td>{d.runId ? <Link href={`/runs/${d.runId}`}>{shortId(d.runId)}</Link> : '—'}</td>
                <td>{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                <td>{d.status === 'accepted' && d.runId && <button type="button" className="btn btn-sm" onClick={() => void replay(d)} disabled={busy} data-testid="delivery-replay">Replay</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
