import { describe, expect, it } from 'vitest';
import { bindSlots, mappingIssues } from './slots';
import { nextStatus } from './moderation';

describe('Binding credential slots at install', () => {
  it("rewrites each slot to the installer's secret, in text and alone", () => {
    const def = { nodes: [{ id: 'a', type: 'http_request', config: { url: 'https://x.test', headers: { authorization: 'Bearer {{secrets.API_TOKEN}}', other: '{{ secrets.API_TOKEN }}' } } }] };
    const r = bindSlots(def, { API_TOKEN: 'MY_TOKEN' });
    expect(r.issues).toEqual([]);
    expect(JSON.stringify(r.definition)).toContain('Bearer {{ secrets.MY_TOKEN }}');
    expect(JSON.stringify(r.definition)).not.toContain('API_TOKEN');
  });

  it('reports a secret use the mapping does not cover', () => {
    const def = { nodes: [{ id: 'a', type: 'http_request', config: { url: 'https://x.test', body: '{{ secrets.OTHER }}' } }] };
    expect(bindSlots(def, {}).issues).toEqual([expect.objectContaining({ path: 'nodes[0].config.body', code: 'unmapped_secret' })]);
  });

  it('names credentials.SLOT when a slot is unmapped, mapped to a missing secret, or unknown', () => {
    const issues = mappingIssues(['A', 'B'], { B: 'NOPE', C: 'X' }, (s) => s === 'X');
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['credentials.A', 'unmapped_credential'],
      ['credentials.B', 'secret_not_found'],
      ['credentials.C', 'unknown_credential'],
    ]);
  });
});

describe('The moderation state machine', () => {
  it('goes draft → pending → approved → published → unpublished, and rejected back to pending', () => {
    expect(nextStatus('draft', 'submit')).toBe('pending');
    expect(nextStatus('pending', 'approve')).toBe('approved');
    expect(nextStatus('approved', 'publish')).toBe('published');
    expect(nextStatus('published', 'unpublish')).toBe('unpublished');
    expect(nextStatus('pending', 'reject')).toBe('rejected');
    expect(nextStatus('rejected', 'submit')).toBe('pending');
  });

  it('refuses skipping review', () => {
    expect(nextStatus('draft', 'publish')).toBeUndefined();
    expect(nextStatus('pending', 'publish')).toBeUndefined();
    expect(nextStatus('draft', 'approve')).toBeUndefined();
  });
});
