'use client';
import type { CronPreview as Preview } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, issuesMessage } from '../../lib/api';

/** The next fires of `cron` in `timezone`, from the API (`GET /v1/schedules/preview`), asked again a moment after each edit. */
export function CronPreview({ cron, timezone }: { cron: string; timezone: string }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!cron.trim() || !timezone.trim()) return;
    let live = true;
    const t = setTimeout(() => {
      api.previewCron({ cron, timezone }).then(
        (p) => {
          if (!live) return;
          setPreview(p);
          setError(null);
        },
        (err) => {
          if (!live) return;
          setPreview(null);
          setError(issuesMessage(err, /^querystring\./));
        },
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [cron, timezone]);
  return (
    <div className="field" aria-live="polite" data-testid="cron-preview">
      <span className="field-label">Next runs</span>
      {error && <span className="field-error" data-testid="cron-preview-error">{error}</span>}
      {!error && preview && (
        <ol className="fires">
          {preview.fires.map((f) => (
            <li key={f.at} data-testid="cron-fire">
              <span className="mono">{f.local}</span>
              {f.dst && <span className="small muted"> — {f.dst.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
