import { describe, expect, it } from 'vitest';
import { parseTags, publishBody, slugify } from './publish-form';

describe('the publish-as-template form', () => {
  it('makes a slug and tags the API accepts from what the creator typed', () => {
    expect(slugify('  Slack alert: failed HTTP check! ')).toBe('slack-alert-failed-http-check');
    expect(slugify('Über café')).toBe('uber-cafe');
    expect(parseTags('Slack, ops alerts, slack, ,')).toEqual(['slack', 'ops-alerts']);
  });

  it('sends only the slot descriptions that were filled in', () => {
    const body = publishBody({
      workflowVersionId: 'v', name: ' Alert ', slug: 'alert', summary: ' Posts ', readme: '', tags: 'ops', category: 'Monitoring',
      slots: { SLACK_TOKEN: { description: 'Bot token', kind: 'slack_bot_token' }, TRACE: { description: ' ', kind: '' } },
    });
    expect(body).toEqual({ workflowVersionId: 'v', slug: 'alert', name: 'Alert', summary: 'Posts', tags: ['ops'], category: 'monitoring', credentials: { SLACK_TOKEN: { description: 'Bot token', kind: 'slack_bot_token' }, TRACE: {} } });
  });
});
