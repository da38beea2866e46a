import { ExternalLink } from 'lucide-react';
import { traceUrl } from '../../lib/trace-url';

/** The run's trace id (tracing on when it started), linked to the trace viewer when WEFT_TRACE_URL_TEMPLATE is set. */
export function TraceLink({ traceId, template }: { traceId: string | null; template: string | null }) {
  if (!traceId) return null;
  const url = traceUrl(template, traceId);
  return (
    <p className="small muted" data-testid="trace">
      Trace <span className="mono" data-testid="trace-id">{traceId}</span>
      {url && (
        <>
          {' · '}
          <a href={url} target="_blank" rel="noreferrer noopener" data-testid="trace-link">
            open in the trace viewer <ExternalLink size={12} aria-hidden />
          </a>
        </>
      )}
    </p>
  );
}
