import { describe, expect, it } from 'vitest';
import { refusal } from '@weft/ui/server/proxy-guard';

const req = (headers: Record<string, string>, method = 'POST') => new Request('http://localhost:3000/api/weft/v1/runs', { method, headers });
const HOSTS = 'localhost,127.0.0.1';

describe('the proxy guard', () => {
  it('lets the studio’s own pages through', () => {
    expect(refusal(req({ host: 'localhost:3000', 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000', 'content-type': 'application/json' }), HOSTS)).toBeNull();
    expect(refusal(req({ host: '127.0.0.1:3000' }, 'GET'), HOSTS)).toBeNull();
  });
  it('refuses other sites, other host names and non-JSON bodies', () => {
    expect(refusal(req({ host: 'localhost:3000', 'sec-fetch-site': 'cross-site' }), HOSTS)).toMatch(/cross-site/);
    expect(refusal(req({ host: 'localhost:3000', origin: 'https://evil.example' }), HOSTS)).toMatch(/cross-origin/);
    expect(refusal(req({ host: 'rebound.example:3000' }), HOSTS)).toMatch(/not in WEFT_STUDIO_ALLOWED_HOSTS/);
    expect(refusal(req({ host: 'localhost:3000', 'content-type': 'text/plain' }), HOSTS)).toMatch(/json/);
    expect(refusal(req({ host: 'anything' }), '*')).toBeNull();
  });
});
