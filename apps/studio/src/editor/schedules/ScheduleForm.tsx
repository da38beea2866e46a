'use client';
import type { CreateScheduleBody } from '@weft/workflow-schema';
import { useMemo, useState } from 'react';
import { useSubmit } from '../../lib/use-submit';
import { Choice } from '../form/Choice';
import { browserTimezone, CRON_PRESETS, cronPreview, knownTimezones } from './cron-preview';

type Body = Pick<CreateScheduleBody, 'cron' | 'timezone' | 'overlap' | 'catchup'>;

const OVERLAP = [
  ['skip', 'Skip a fire while the previous run is still going'],
  ['buffer_one', 'Run it once the previous run ends'],
  ['allow', 'Start it anyway (runs may overlap)'],
] as const;
const CATCHUP = [
  ['latest', 'Run the latest missed fire once'],
  ['skip', 'Skip missed fires'],
  ['all', 'Run every missed fire'],
] as const;

/** A new schedule: cron with presets, zone, policies, and the next five fires (DST changes flagged) as you type. */
export function ScheduleForm({ onCreate, onCancel }: { onCreate: (body: Body) => Promise<void>; onCancel: () => void }) {
  const [body, setBody] = useState<Body>({ cron: '0 9 * * 1-5', timezone: browserTimezone(), overlap: 'skip', catchup: 'latest' });
  const { busy, error: serverError, setError: setServerError, run } = useSubmit();
  const preview = useMemo(() => cronPreview(body.cron, body.timezone, new Date()), [body.cron, body.timezone]);
  const zones = useMemo(() => knownTimezones(body.timezone), [body.timezone]);
  const set = (patch: Partial<Body>) => {
    setBody({ ...body, ...patch });
    setServerError(null);
  };

  const submit = () => run(() => onCreate(body));

  return (
    <form
      className="schedule-form"
      aria-label="New schedule"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label className="field-label" htmlFor="schedule-cron">
          Cron (5 fields, or 6 with seconds first)
        </label>
        <input id="schedule-cron" className="input mono" value={body.cron} onChange={(e) => set({ cron: e.target.value })} aria-invalid={!preview.ok && preview.field === 'cron'} />
        <div className="schedule-presets">
          {CRON_PRESETS.map((p) => (
            <button key={p.cron} type="button" className="btn btn-sm btn-ghost" onClick={() => set({ cron: p.cron })}>
              {p.label}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="schedule-timezone">
          Time zone
        </label>
        <select id="schedule-timezone" className="select" value={body.timezone} onChange={(e) => set({ timezone: e.target.value })}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <Choice id="schedule-overlap" label="When the previous run is still going" value={body.overlap} options={OVERLAP} onChange={(overlap) => set({ overlap })} />
      <Choice id="schedule-catchup" label="After downtime" value={body.catchup} options={CATCHUP} onChange={(catchup) => set({ catchup })} />
      {preview.ok ? (
        <div data-testid="schedule-preview">
          <span className="field-label">Next fires</span>
          <ol className="schedule-fires">
            {preview.fires.map((f) => (
              <li key={f.at}>
                <span className="mono">{f.local.replace('T', ' ')}</span>
                {f.dst && (
                  <span className="badge badge-warning" title={f.dst.note}>
                    {f.dst.kind === 'spring_forward' ? 'DST: clocks forward' : 'DST: clocks back'}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <p className="field-error" role="alert" data-testid="schedule-problem">
          {preview.message}
        </p>
      )}
      {serverError && (
        <p className="field-error" role="alert">
          {serverError}
        </p>
      )}
      <div className="schedule-actions">
        <button type="submit" className="btn btn-sm btn-primary" disabled={!preview.ok || busy} data-testid="create-schedule">
          Create schedule
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

