import type { StarterTemplate } from './types';

export const llmWebPageSummary: StarterTemplate = {
  slug: 'llm-web-page-summary',
  name: 'LLM summary of a web page',
  summary: 'Fetches a web page and asks an OpenAI-compatible model for a three-sentence summary.',
  readme: '# LLM summary of a web page\n\nInputs `{ "url" }`. The page is fetched (at most what the executor\'s response limit allows) and sent to the model with a prompt asking for three sentences.\n\nCredentials: `OPENAI_API_KEY` (any OpenAI-compatible API; set `baseUrl` on the node for another one).',
  tags: ['llm', 'openai', 'summary'],
  category: 'ai',
  services: ['the page URL', 'OpenAI'],
  credentials: { OPENAI_API_KEY: { description: 'OpenAI API key', kind: 'openai_api_key' } },
  trigger: { kind: 'api' },
  sampleInputs: { url: 'https://example.com/' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['url'], properties: { url: { type: 'string', description: 'The page to summarise' } } } } },
      { id: 'page', type: 'http_request', name: 'Fetch page', position: { x: 300, y: 0 }, config: { method: 'GET', url: '{{ input.url }}', headers: { accept: 'text/html' }, timeoutMs: 15000 } },
      { id: 'summarise', type: 'llm_completion', name: 'Summarise', position: { x: 600, y: 0 }, config: { provider: 'openai', apiKey: '{{ secrets.OPENAI_API_KEY }}', model: 'gpt-4o-mini', system: 'You summarise web pages in three plain sentences.', prompt: 'Summarise this page ({{ input.url }}):\n\n{{ steps.page.output.body }}', temperature: 0.2, maxTokens: 300 } },
    ],
    edges: [
      { source: 'trigger', target: 'page' },
      { source: 'page', target: 'summarise' },
    ],
    settings: { output: '{ url: input.url, summary: steps.summarise.output.text }' },
  },
};
