import { describe, expect, it } from 'vitest';
import { takeReturnUrl } from './return-to';

const here = new URL('http://localhost:3000/');
const cookie = (url: string) => `weft_org=acme; weft_return_to=${encodeURIComponent(url)}; other=1`;

describe('going back after sign-in', () => {
  it('follows a URL of the same host, on any port', () => {
    expect(takeReturnUrl(cookie('http://localhost:3001/templates/slack-alert?install=1'), here)).toBe('http://localhost:3001/templates/slack-alert?install=1');
  });

  it('follows nothing else: another host, another scheme, garbage, no cookie, or the page itself', () => {
    expect(takeReturnUrl(cookie('https://evil.example.com/templates/x'), here)).toBeNull();
    expect(takeReturnUrl(cookie('javascript:alert(1)'), here)).toBeNull();
    expect(takeReturnUrl('weft_return_to=%E0%A4%A', here)).toBeNull();
    expect(takeReturnUrl('weft_org=acme', here)).toBeNull();
    expect(takeReturnUrl(cookie('http://localhost:3000/'), here)).toBeNull();
  });
});
