import { describe, expect, it } from 'vitest';
import { refusal } from './gateway-access';

const req = (headers: Record<string, string>, method = 'POST') => new Request('http://localhost:3001/api/weft/v1/runs', { method, headers });
const HOSTS = 'localhost,127.0.0.1';

describe('the dashboard proxy guard', () => {
  it('lets the dashboard’s own pages through', () => {
    expect(refusal(req({ host: 'localhost:3001', 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3001', 'content-type': 'application/json' }), HOSTS)).toBeNull();
    expect(refusal(req({ host: '127.0.0.1:3001' }, 'GET'), HOSTS)).toBeNull();
  });

  it('refuses other sites, other host names and non-JSON bodies', () => {
    expect(refusal(req({ host: 'localhost:3001', 'sec-fetch-site': 'cross-site' }), HOSTS)).toMatch(/cross-site/);
    expect(refusal(req({ host: 'localhost:3001', origin: 'https://evil.example' }), HOSTS)).toMatch(/cross-origin/);
    expect(refusal(req({ host: 'rebound.example:3001' }), HOSTS)).toMatch(/WEFT_DASHBOARD_ALLOWED_HOSTS/);
    expect(refusal(req({ host: 'localhost:3001', 'content-type': 'text/plain' }), HOSTS)).toMatch(/json/);
  });
});
