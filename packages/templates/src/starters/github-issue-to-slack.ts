import type { StarterTemplate } from './types';

export const githubIssueToSlack: StarterTemplate = {
  slug: 'github-issue-to-slack',
  name: 'GitHub issue → Slack',
  summary: 'Posts newly opened GitHub issues to a Slack channel (GitHub-signed webhook).',
  readme: '# GitHub issue → Slack\n\nAdd a webhook with the `github` scheme to the installed workflow and paste its URL and secret into the repository\'s Settings → Webhooks (content type `application/json`, event "Issues"). Opened issues are posted to `#github`; other actions end the run without posting.\n\nCredentials: `SLACK_BOT_TOKEN`.',
  tags: ['github', 'slack', 'webhook'],
  category: 'engineering',
  services: ['GitHub (webhook)', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'webhook', scheme: 'github' },
  sampleInputs: { action: 'opened', issue: { number: 1, title: 'Example', html_url: 'https://github.com/o/r/issues/1', user: { login: 'octocat' } }, repository: { full_name: 'o/r' } },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: {} },
      { id: 'opened', type: 'branch', name: 'Issue opened?', position: { x: 300, y: 80 }, config: { condition: "input.headers.\"x-github-event\" == 'issues' && input.body.action == 'opened'" } },
      { id: 'post', type: 'slack_message', name: 'Post issue', position: { x: 600, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '#github', text: 'New issue in {{ input.body.repository.full_name }} #{{ input.body.issue.number }}: {{ input.body.issue.title }} by {{ input.body.issue.user.login }}\n{{ input.body.issue.html_url }}' } },
      { id: 'ignored', type: 'transform', position: { x: 600, y: 160 }, config: { expression: '{ posted: `false`, action: input.body.action }' } },
      { id: 'posted', type: 'transform', position: { x: 900, y: 0 }, config: { expression: '{ posted: `true`, issue: input.body.issue.number, ts: steps.post.output.ts }' } },
    ],
    edges: [
      { source: 'trigger', target: 'opened' },
      { source: 'opened', target: 'post', sourceHandle: 'true' },
      { source: 'opened', target: 'ignored', sourceHandle: 'false' },
      { source: 'post', target: 'posted' },
    ],
    settings: { output: 'steps.posted.output || steps.ignored.output' },
  },
};
