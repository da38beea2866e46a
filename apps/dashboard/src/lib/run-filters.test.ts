import { RunStatusSchema, TERMINAL_RUN_STATUSES, TriggerTypeSchema } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { RUN_STATUSES, TERMINAL_STATUSES, TRIGGER_TYPES, filtersToQuery, filtersToSearch, parseFilters, startOfDay } from './run-filters';

const WF = '0193b6a0-0000-7000-8000-000000000001';
const NOW = new Date('2026-12-05T12:00:00Z');

describe('the run list filters', () => {
  it('offer exactly the statuses and trigger types of the API schema', () => {
    expect(RUN_STATUSES).toEqual(RunStatusSchema.options);
    expect(TRIGGER_TYPES).toEqual(TriggerTypeSchema.options);
    expect([...TERMINAL_STATUSES].sort()).toEqual([...TERMINAL_RUN_STATUSES].sort());
  });

  it('read the URL and write it back the same', () => {
    const search = `?workflowId=${WF}&status=failed&triggerType=schedule&range=24h&q=timed+out`;
    const f = parseFilters(new URLSearchParams(search));
    expect(f).toEqual({ workflowId: WF, status: 'failed', triggerType: 'schedule', range: '24h', q: 'timed out' });
    expect(filtersToSearch(f)).toBe(search);
  });

  it('drop values the API would refuse instead of sending them', () => {
    expect(parseFilters(new URLSearchParams('workflowId=nope&status=broken&triggerType=cron&range=5y&since=never&q=ab'))).toEqual({ range: 'all' });
  });

  it('turn a time range into the API’s since, and an exact since wins', () => {
    expect(filtersToQuery({ range: '1h', status: 'failed' }, NOW)).toEqual({ status: 'failed', since: '2026-12-05T11:00:00.000Z' });
    expect(filtersToQuery({ range: 'all' }, NOW)).toEqual({});
    expect(filtersToQuery({ range: 'all', q: '503' }, NOW)).toEqual({ q: '503' });
    expect(filtersToQuery({ range: '7d', since: '2026-12-05T00:00:00.000Z' }, NOW).since).toBe('2026-12-05T00:00:00.000Z');
  });

  it('today starts at local midnight', () => {
    const start = new Date(startOfDay(NOW));
    expect([start.getHours(), start.getMinutes(), start.getDate()]).toEqual([0, 0, NOW.getDate()]);
  });
});
