import { describe, expect, it } from 'vitest';
import { createLogger, withContext } from './index';

describe('redaction by path', () => {
  it('replaces credential headers and fields, at the top and one level down, and keeps the ids', () => {
    const lines: string[] = [];
    const log = withContext(createLogger({ service: 't', destination: { write: (l: string) => void lines.push(l) } }), {
      requestId: 'req-1', runId: 'run-1', stepId: 'step-1', nodeId: 'call', orgId: 'org-1', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16),
    });
    log.info(
      {
        headers: { authorization: 'Bearer h-auth', cookie: 'h-cookie', 'set-cookie': 'h-set', 'x-api-key': 'h-key', 'proxy-authorization': 'h-proxy', accept: 'application/json' },
        req: { headers: { authorization: 'r-auth', cookie: 'r-cookie', 'x-api-key': 'r-key' } },
        call: { headers: { authorization: 'c-auth' }, token: 'c-token', clientSecret: 'c-client' },
        accessToken: 'top-access',
        refreshToken: 'top-refresh',
        password: 'top-password',
      },
      'calling',
    );
    const [line] = lines;
    for (const v of ['h-auth', 'h-cookie', 'h-set', 'h-key', 'h-proxy', 'r-auth', 'r-cookie', 'r-key', 'c-auth', 'c-token', 'c-client', 'top-access', 'top-refresh', 'top-password']) {
      expect(line, v).not.toContain(v);
    }
    const parsed = JSON.parse(line!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ request_id: 'req-1', run_id: 'run-1', step_id: 'step-1', node_id: 'call', org_id: 'org-1', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) });
    expect(parsed.headers).toMatchObject({ authorization: '[redacted]', accept: 'application/json' });
  });
});
