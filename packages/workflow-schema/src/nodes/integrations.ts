import { z } from 'zod';
import { ConnectionNameSchema } from '../connections';
import { commonOptions, templateString } from './common';

/** A value that is usually `{{ secrets.NAME }}`: never stored resolved, resolved inside the step. */
const secretRef = (what: string) => templateString().min(1).describe(`${what}; use {{ secrets.NAME }}`);

/** The name of an OAuth 2.0 connection of the org (GET /v1/connections) of this provider: the executor supplies its fresh access token. */
const connectionRef = (provider: string) => ConnectionNameSchema.describe(`Name of a ${provider} connection (OAuth 2.0, refreshed by Weft); instead of a token`);

const exactlyOne = (c: Record<string, unknown>, keys: string[]) => keys.filter((k) => c[k] !== undefined).length === 1;

export const LlmCompletionConfigSchema = z.strictObject({
  provider: z.enum(['openai', 'gemini']).default('openai').describe('openai: any OpenAI-compatible chat completions API; gemini: Google generateContent.'),
  baseUrl: templateString().optional().describe('OpenAI-compatible base URL (default https://api.openai.com/v1).'),
  apiKey: secretRef('API key'),
  model: templateString().min(1),
  system: templateString().optional().describe('System prompt.'),
  prompt: templateString().optional().describe('User prompt (template); or give messages.'),
  messages: z
    .array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: templateString() }))
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  json: z.boolean().default(false).describe('Ask for a JSON answer and parse it into output.json.'),
  media: z
    .array(
      z.strictObject({
        mimeType: templateString().min(1).describe('e.g. audio/mpeg, audio/wav, image/png, application/pdf'),
        data: templateString().optional().describe('The content, base64-encoded (template); used when it renders to a non-empty string.'),
        url: templateString().optional().describe('Else an http(s) URL the executor fetches (SSRF-protected) and sends inline.'),
      }).refine((m) => m.data !== undefined || m.url !== undefined, { message: 'give data or url', path: ['data'] }),
    )
    .max(10)
    .optional()
    .describe('Gemini only: files sent inline with the prompt (inline_data parts).'),
  ...commonOptions,
}).refine((c) => c.prompt !== undefined || (c.messages?.length ?? 0) > 0, { message: 'give prompt or messages', path: ['prompt'] })
  .refine((c) => !c.media?.length || c.provider === 'gemini', { message: 'media is sent to Gemini only: set provider gemini', path: ['media'] });

export const SlackMessageConfigSchema = z.strictObject({
  webhookUrl: secretRef('Incoming webhook URL').optional(),
  token: secretRef('Bot token (xoxb-…) for chat.postMessage').optional(),
  connection: connectionRef('Slack').optional(),
  channel: templateString().optional().describe('Channel id or name (with a bot token or a connection).'),
  text: templateString().min(1),
  blocks: z.array(z.unknown()).optional(),
  ...commonOptions,
}).refine((c) => exactlyOne(c, ['webhookUrl', 'token', 'connection']), { message: 'give exactly one of webhookUrl, token or connection', path: ['webhookUrl'] })
  .refine((c) => (c.token === undefined && c.connection === undefined) || !!c.channel, { message: 'channel is required with a bot token or a connection', path: ['channel'] });

export const GoogleSheetsAppendConfigSchema = z.strictObject({
  accessToken: secretRef('OAuth 2.0 access token with the spreadsheets scope').optional(),
  connection: connectionRef('Google').optional(),
  spreadsheetId: templateString().min(1),
  range: templateString().min(1).describe('A1 range of the table, e.g. Sheet1!A:D'),
  values: z.unknown().describe('Rows to append: an array of arrays (template values allowed).'),
  valueInputOption: z.enum(['RAW', 'USER_ENTERED']).default('USER_ENTERED'),
  ...commonOptions,
}).refine((c) => exactlyOne(c, ['accessToken', 'connection']), { message: 'give exactly one of accessToken or connection', path: ['accessToken'] });

export const SendEmailConfigSchema = z.strictObject({
  smtpUrl: secretRef('SMTP URL, e.g. smtps://user:pass@smtp.example.com:465'),
  from: templateString().min(1),
  to: z.union([templateString().min(1), z.array(templateString().min(1)).min(1)]),
  subject: templateString().min(1),
  text: templateString().optional(),
  html: templateString().optional(),
  ...commonOptions,
}).refine((c) => c.text !== undefined || c.html !== undefined, { message: 'give text or html', path: ['text'] });

export const WebhookOutConfigSchema = z.strictObject({
  url: templateString().min(1),
  secret: secretRef('Signing secret (whsec_… base64)'),
  payload: z.unknown().describe('JSON payload (template values allowed).'),
  headers: z.record(z.string(), templateString()).optional(),
  ...commonOptions,
});
