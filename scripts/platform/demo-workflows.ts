/** The two workflows `npm start` seeds into the demo org (by name; never duplicated). */
export const DEMO_WORKFLOWS = [
  {
    name: 'Demo: greet and route',
    description: 'Greets a person, then routes VIP customers and everyone else down different branches that join again.',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, orders: { type: 'integer' } } } } },
        { id: 'greeting', type: 'transform', position: { x: 250, y: 0 }, config: { expression: "join('', ['Hello, ', input.name, '!'])" } },
        { id: 'is_vip', type: 'branch', position: { x: 500, y: 0 }, config: { condition: 'input.orders > `10`' } },
        { id: 'vip', type: 'transform', position: { x: 750, y: -100 }, config: { expression: "{ tier: 'vip', discount: `20` }" } },
        { id: 'regular', type: 'transform', position: { x: 750, y: 100 }, config: { expression: "{ tier: 'regular', discount: `0` }" } },
        { id: 'summary', type: 'transform', position: { x: 1000, y: 0 }, config: { expression: '{ message: steps.greeting.output, offer: steps.vip.output || steps.regular.output }' } },
      ],
      edges: [
        { source: 'trigger', target: 'greeting' },
        { source: 'greeting', target: 'is_vip' },
        { source: 'is_vip', target: 'vip', sourceHandle: 'true' },
        { source: 'is_vip', target: 'regular', sourceHandle: 'false' },
        { source: 'vip', target: 'summary' },
        { source: 'regular', target: 'summary' },
      ],
      settings: { output: 'steps.summary.output' },
    },
    sampleInputs: { name: 'Ada', orders: 12 },
  },
  {
    name: 'Demo: fetch a GitHub repository',
    description: 'Calls the public GitHub API (needs internet access) and keeps a few fields of the answer.',
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['repo'], properties: { repo: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+$' } } } } },
        { id: 'fetch', type: 'http_request', position: { x: 250, y: 0 }, config: { method: 'GET', url: 'https://api.github.com/repos/{{ input.repo }}', headers: { accept: 'application/vnd.github+json', 'user-agent': 'weft-demo' }, timeoutMs: 10000, retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 5000 } } },
        { id: 'pick', type: 'transform', position: { x: 500, y: 0 }, config: { expression: '{ name: steps.fetch.output.body.full_name, stars: steps.fetch.output.body.stargazers_count, language: steps.fetch.output.body.language }' } },
      ],
      edges: [
        { source: 'trigger', target: 'fetch' },
        { source: 'fetch', target: 'pick' },
      ],
      settings: { output: 'steps.pick.output' },
    },
    sampleInputs: { repo: 'jmespath/jmespath.js' },
  },
];
