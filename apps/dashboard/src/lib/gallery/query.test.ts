import { describe, expect, it } from 'vitest';
import { galleryHref, galleryParams, referralSource } from './query';

describe('the gallery URL', () => {
  it('reads the filters from the search params, dropping blanks and an unknown sort', () => {
    expect(galleryParams({ q: ' slack ', tag: '', sort: 'sideways', category: ['ops', 'x'] })).toEqual({ q: 'slack', category: 'ops' });
    expect(galleryParams({ sort: 'trending', integration: 'slack_message' })).toEqual({ sort: 'trending', integration: 'slack_message' });
  });

  it('writes them back in a stable order, with no query when there are none', () => {
    expect(galleryHref({})).toBe('/templates');
    expect(galleryHref({ sort: 'newest', q: 'a b', tag: 'ops' })).toBe('/templates?q=a+b&tag=ops&sort=newest');
  });
});

describe('the referral source of a view', () => {
  it("prefers our own ref tag, then an outside site's host, then direct", () => {
    expect(referralSource('gallery', 'https://news.example.com/x', 'localhost')).toBe('gallery');
    expect(referralSource(null, 'https://news.example.com/item?id=1', 'localhost')).toBe('news.example.com');
    expect(referralSource(null, 'http://localhost:3001/templates', 'localhost')).toBe('direct');
    expect(referralSource('<script>', 'not a url', 'localhost')).toBe('direct');
    expect(referralSource(undefined, '', 'localhost')).toBe('direct');
  });
});
