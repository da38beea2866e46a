import type { StarterTemplate } from './types';

export const geminiAudioTranscription: StarterTemplate = {
  slug: 'gemini-audio-transcription',
  name: 'Audio transcription with timestamps (Gemini)',
  summary: 'Sends audio (from a URL or base64) to Gemini inline and returns timestamped segments [{ start, end, text }].',
  readme: '# Audio transcription with timestamps (Gemini)\n\nInputs `{ "audioUrl" }` or `{ "audioBase64" }`, with `mimeType` (default `audio/mpeg`; `audio/wav`, `audio/ogg`, `audio/flac`… work too). The audio goes to Gemini `generateContent` as inline data (at most what the executor\'s response limit allows when fetched from a URL; Gemini takes up to 20 MB inline); the prompt asks for `[mm:ss]` segments as JSON, and the output is an array of `{ start, end, text }` with `start`/`end` as `mm:ss`.\n\nCredentials: `GEMINI_API_KEY`.',
  tags: ['gemini', 'audio', 'transcription', 'llm'],
  category: 'ai',
  services: ['the audio URL', 'Google Gemini'],
  credentials: { GEMINI_API_KEY: { description: 'Google AI Studio (Gemini) API key', kind: 'gemini_api_key' } },
  trigger: { kind: 'api' },
  sampleInputs: { audioUrl: 'https://example.com/interview.mp3', mimeType: 'audio/mpeg' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', properties: { audioUrl: { type: 'string', description: 'http(s) URL of the audio' }, audioBase64: { type: 'string', description: 'The audio, base64-encoded' }, mimeType: { type: 'string', default: 'audio/mpeg' } }, anyOf: [{ required: ['audioUrl'] }, { required: ['audioBase64'] }] } } },
      {
        id: 'transcribe', type: 'llm_completion', name: 'Transcribe', position: { x: 300, y: 0 },
        config: {
          provider: 'gemini',
          apiKey: '{{ secrets.GEMINI_API_KEY }}',
          model: 'gemini-2.0-flash',
          system: 'You transcribe audio verbatim.',
          prompt: 'Transcribe this audio into segments of at most 30 seconds. Mark each segment with its [mm:ss] start and end time. Answer only a JSON array of objects {"start": "mm:ss", "end": "mm:ss", "text": "..."} in order.',
          media: [{ mimeType: "{{ input.mimeType || 'audio/mpeg' }}", data: '{{ input.audioBase64 }}', url: '{{ input.audioUrl }}' }],
          json: true,
          temperature: 0,
        },
      },
      { id: 'segments', type: 'transform', position: { x: 600, y: 0 }, config: { expression: 'steps.transcribe.output.json[].{ start: start, end: end, text: text }' } },
    ],
    edges: [
      { source: 'trigger', target: 'transcribe' },
      { source: 'transcribe', target: 'segments' },
    ],
    settings: { output: 'steps.segments.output' },
  },
};
