'use client';
import { WeftApiError } from '@weft/sdk';
import type { CronPreview as Preview } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** What the API says is wrong with the expression or the zone (its issue messages), else the error. */
function problem(err: unknown): string {
  if (err instanceof WeftApiError && err.issues.length) return err.issues.map((i) => `${i.path.replace(/^querystring\./, '')}: ${i.message}`).join('; ');
  return errorMessage(err);
}

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
          setError(problem(err));
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
