import { describe, expect, it } from 'vitest';
import { isPublicPath } from './public-paths';

describe('the public pages', () => {
  it('are the gallery, template pages and creator profiles, and nothing else', () => {
    for (const p of ['/templates', '/templates/slack-alert', '/@acme', '/creators/acme']) expect(isPublicPath(p)).toBe(true);
    for (const p of ['/', '/runs', '/workflows', '/secrets', '/api-keys', '/moderation', '/templatesx', '/sign-in']) expect(isPublicPath(p)).toBe(false);
  });
});
