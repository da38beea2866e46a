import { describe, expect, it } from 'vitest';
import { approvalSlackPayload, approvalText } from './messages';
import { hashLinkToken, isLinkToken, newLinkToken } from './link-tokens';

describe('approval link tokens', () => {
  it('are 43 base64url characters, different each time, stored as their SHA-256 only', () => {
    const a = newLinkToken();
    const b = newLinkToken();
    expect(isLinkToken(a.token)).toBe(true);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toHaveLength(32);
    expect(a.hash.equals(hashLinkToken(a.token))).toBe(true);
    expect(a.hash.toString('base64url')).not.toContain(a.token);
  });

  it('refuses strings of another shape (a cut or padded link)', () => {
    const { token } = newLinkToken();
    for (const s of [token.slice(1), `${token}=`, `${token.slice(1)}/`, '', 'not a token']) expect(isLinkToken(s)).toBe(false);
  });
});

describe('approval messages', () => {
  const notice = {
    workflowName: 'refunds', runId: '0190e6a0-0000-7000-8000-000000000001', nodeId: 'approve', prompt: { amount: 40 },
    approveUrl: 'https://weft.example.com/approve/A', rejectUrl: 'https://weft.example.com/approve/R', expiresAt: new Date('2026-12-08T12:00:00Z'),
  };
  it('name the workflow, the run, the prompt (JSON when not text), both links and the expiry', () => {
    const text = approvalText(notice);
    for (const part of ['"refunds"', notice.runId, '"amount": 40', 'Approve: https://weft.example.com/approve/A', 'Reject:  https://weft.example.com/approve/R', '2026-12-08T12:00:00.000Z']) expect(text).toContain(part);
    expect(approvalSlackPayload(notice).text).toContain('<https://weft.example.com/approve/A|Approve> · <https://weft.example.com/approve/R|Reject>');
  });
});
