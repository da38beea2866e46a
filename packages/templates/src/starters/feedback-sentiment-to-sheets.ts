import type { StarterTemplate } from './types';

export const feedbackSentimentToSheets: StarterTemplate = {
  slug: 'feedback-sentiment-to-sheets',
  name: 'Feedback sentiment → Google Sheets',
  summary: 'Scores customer feedback with an LLM (sentiment and topic) and logs it in a Google Sheet.',
  readme: '# Feedback sentiment → Google Sheets\n\nInputs `{ "spreadsheetId", "author", "feedback" }`. The model answers JSON `{ sentiment: positive|neutral|negative, score: -1..1, topic }`; the row `[author, sentiment, score, topic, feedback]` is appended to the sheet `Feedback`.\n\nCredentials: `OPENAI_API_KEY`, `GOOGLE_SHEETS_TOKEN`.',
  tags: ['llm', 'google-sheets', 'feedback'],
  category: 'ai',
  services: ['OpenAI', 'Google Sheets'],
  credentials: {
    OPENAI_API_KEY: { description: 'OpenAI API key', kind: 'openai_api_key' },
    GOOGLE_SHEETS_TOKEN: { description: 'Google OAuth access token with the spreadsheets scope', kind: 'google_oauth_token' },
  },
  trigger: { kind: 'api' },
  sampleInputs: { spreadsheetId: 'your-sheet-id', author: 'Ada', feedback: 'The new editor is lovely, but exports are slow.' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['spreadsheetId', 'feedback'], properties: { spreadsheetId: { type: 'string' }, author: { type: 'string' }, feedback: { type: 'string', maxLength: 20000 } } } } },
      { id: 'score', type: 'llm_completion', name: 'Score sentiment', position: { x: 300, y: 0 }, config: { provider: 'openai', apiKey: '{{ secrets.OPENAI_API_KEY }}', model: 'gpt-4o-mini', system: 'Classify customer feedback. Answer JSON {"sentiment": "positive"|"neutral"|"negative", "score": <number from -1 to 1>, "topic": "<one or two words>"}.', prompt: '{{ input.feedback }}', json: true, temperature: 0 } },
      { id: 'log', type: 'google_sheets_append', name: 'Log to sheet', position: { x: 600, y: 0 }, config: { accessToken: '{{ secrets.GOOGLE_SHEETS_TOKEN }}', spreadsheetId: '{{ input.spreadsheetId }}', range: 'Feedback!A:E', values: [['{{ input.author }}', '{{ steps.score.output.json.sentiment }}', '{{ steps.score.output.json.score }}', '{{ steps.score.output.json.topic }}', '{{ input.feedback }}']] } },
    ],
    edges: [
      { source: 'trigger', target: 'score' },
      { source: 'score', target: 'log' },
    ],
    settings: { output: '{ sentiment: steps.score.output.json, row: steps.log.output.updatedRange }' },
  },
};
