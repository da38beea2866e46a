import type { StarterTemplate } from './types';

export const sheetsAppendFromWebhook: StarterTemplate = {
  slug: 'google-sheets-append-from-webhook',
  name: 'Google Sheets append from a webhook',
  summary: 'Every signed webhook delivery becomes a new row in a Google Sheet.',
  readme: '# Google Sheets append from a webhook\n\nAdd a webhook (Standard Webhooks signatures) to the installed workflow and append `?spreadsheetId=<id>` to its URL. Each delivery\'s JSON body `{ "name", "email", "message" }` is appended as a row `[receivedAt, name, email, message]` to the sheet `Inbox`.\n\nCredentials: `GOOGLE_SHEETS_TOKEN`, an OAuth access token with the `spreadsheets` scope.',
  tags: ['google-sheets', 'webhook', 'forms'],
  category: 'data',
  services: ['Google Sheets'],
  credentials: { GOOGLE_SHEETS_TOKEN: { description: 'Google OAuth access token with the spreadsheets scope', kind: 'google_oauth_token' } },
  trigger: { kind: 'webhook', scheme: 'standard-webhooks' },
  sampleInputs: { name: 'Ada Lovelace', email: 'ada@example.com', message: 'Hello' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
      { id: 'append', type: 'google_sheets_append', name: 'Append row', position: { x: 300, y: 0 }, config: { accessToken: '{{ secrets.GOOGLE_SHEETS_TOKEN }}', spreadsheetId: '{{ input.query.spreadsheetId }}', range: 'Inbox!A:D', values: [['{{ input.receivedAt }}', '{{ input.body.name }}', '{{ input.body.email }}', '{{ input.body.message }}']] } },
    ],
    edges: [{ source: 'trigger', target: 'append' }],
    settings: { output: '{ updatedRange: steps.append.output.updatedRange, rows: steps.append.output.updatedRows }' },
  },
};
