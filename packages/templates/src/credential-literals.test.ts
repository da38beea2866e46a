import { describe, expect, it } from 'vitest';
import { credentialLiterals, credentialLooking } from './credential-literals';

const http = (config: Record<string, unknown>, id = 'call') => ({ nodes: [{ id: 'start', type: 'trigger', config: {} }, { id, type: 'http_request', config: { method: 'GET', url: 'https://api.example.com', ...config } }], edges: [] });

describe('Credential-looking literals', () => {
  it.each([
    ['a Stripe live key', 'sk_live_51HabcdefGHIJKLmnop'],
    ['a GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a Slack bot token', 'xoxb-123456789012-abcdefghijkl'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['a URL with a password', 'postgres://admin:s3cret@db.example.com/app'],
    ['a random 40-character token', 'Bearer q8Zr3VfK1pLx7TnW2mYc9HdQ4sJb6GaE0uRk5NoI'],
  ])('refuses %s', (_, text) => {
    expect(credentialLooking(text)).toBeDefined();
  });

  it.each([
    ['a template reading a secret', 'Bearer {{ secrets.API_TOKEN }}'],
    ['a plain URL', 'https://api.example.com/v1/customers?limit=10'],
    ['a UUID', '0b7c2f7e-8d1a-4c3e-9f00-3a5e2d1c4b6a'],
    ['a sentence', 'Summarise the following ticket and classify its priority'],
    ['a long identifier', 'customer_subscription_renewal_reminder_email'],
    ['a URL with a user but no password', 'https://bob@example.com/x'],
    ['a URL whose password is a template', 'smtps://bob:{{ secrets.SMTP_PASSWORD }}@smtp.example.com'],
  ])('accepts %s', (_, text) => {
    expect(credentialLooking(text)).toBeUndefined();
  });

  it('names the node id and the path inside its config, for_each bodies included', () => {
    const def = http({ headers: { authorization: 'Bearer sk_live_51HabcdefGHIJKLmnop' } });
    expect(credentialLiterals(def)).toEqual([expect.objectContaining({ nodeId: 'call', path: 'config.headers.authorization', code: 'credential_literal' })]);
    const loop = { nodes: [{ id: 'each', type: 'for_each', config: { items: 'input', body: http({ query: { keys: ['ok', 'AKIAIOSFODNN7EXAMPLE'] } }, 'inner') } }], edges: [] };
    expect(credentialLiterals(loop)).toEqual([expect.objectContaining({ nodeId: 'inner', path: 'config.query.keys[1]' })]);
  });
});
