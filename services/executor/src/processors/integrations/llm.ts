import { renderTemplate } from '@weft/engine';
import { StepFailure, invalidInput } from '../../errors';
import type { StepHttpClient } from '../../http/client';
import { assertOk } from '../http-request';
import type { NodeProcessor, StepContext } from '../types';
import { join, optionalText, text } from './render';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface Completion {
  text: string;
  finishReason: string | null;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

function messagesOf({ config, context, budget }: StepContext<'llm_completion'>): Message[] {
  const out: Message[] = [];
  const system = optionalText(config, 'system', context, budget);
  if (system) out.push({ role: 'system', content: system });
  for (const m of config.messages ?? []) out.push({ role: m.role, content: String(renderTemplate(m.content, context, budget) ?? '') });
  const prompt = optionalText(config, 'prompt', context, budget);
  if (prompt !== undefined) out.push({ role: 'user', content: prompt });
  return out;
}

/** OpenAI chat completions (and every compatible server: vLLM, Ollama, LM Studio, Azure-style gateways). */
async function openai(http: StepHttpClient, step: StepContext<'llm_completion'>, baseUrl: string, messages: Message[]): Promise<Completion> {
  const { config, context, budget, signal } = step;
  const res = await http.send({
    orgId: step.ids.orgId,
    method: 'POST',
    url: join(baseUrl, 'chat/completions'),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${text(config, 'apiKey', context, budget)}` },
    body: JSON.stringify({
      model: text(config, 'model', context, budget),
      messages,
      ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
      ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
      ...(config.json ? { response_format: { type: 'json_object' } } : {}),
    }),
    signal,
  });
  assertOk(res, new URL(baseUrl).host, (b) => (b as { error?: { message?: string } })?.error?.message);
  const body = res.body as { choices?: { message?: { content?: string }; finish_reason?: string }[]; usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } };
  const choice = body.choices?.[0];
  if (!choice) throw new StepFailure('llm_empty', 'the model answered without a choice', true);
  const u = body.usage ?? {};
  return {
    text: choice.message?.content ?? '',
    finishReason: choice.finish_reason ?? null,
    usage: { inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0, totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0) },
  };
}

type InlinePart = { inline_data: { mime_type: string; data: string } };

/**
 * The node's media as Gemini inline_data parts: `data` (base64) when it renders to text, else the
 * bytes at `url`, fetched through the step's SSRF-checked, size-capped client.
 */
async function mediaParts(http: StepHttpClient, step: StepContext<'llm_completion'>): Promise<InlinePart[]> {
  const { config, context, budget, signal } = step;
  const parts: InlinePart[] = [];
  for (const [i, m] of (config.media ?? []).entries()) {
    const mimeType = text(m, 'mimeType', context, budget);
    const data = renderTemplate(m.data, context, budget);
    if (typeof data === 'string' && data.length > 0) {
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(data.replace(/\s+/g, ''))) throw invalidInput(`media[${i}].data must be base64`, { field: `media[${i}].data` });
      parts.push({ inline_data: { mime_type: mimeType, data: data.replace(/\s+/g, '') } });
      continue;
    }
    const url = renderTemplate(m.url, context, budget);
    if (typeof url !== 'string' || !url) throw invalidInput(`media[${i}] has neither data nor url`, { field: `media[${i}]` });
    const res = await http.send({ orgId: step.ids.orgId, method: 'GET', url, headers: {}, signal, binary: true });
    assertOk(res, new URL(url).host);
    parts.push({ inline_data: { mime_type: mimeType, data: (res.body as Buffer).toString('base64') } });
  }
  return parts;
}

/** Google Gemini generateContent (v1beta); the key travels in x-goog-api-key, not in the URL. Media go inline in the last user turn. */
async function gemini(http: StepHttpClient, step: StepContext<'llm_completion'>, apiUrl: string, messages: Message[]): Promise<Completion> {
  const { config, context, budget, signal } = step;
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  const contents: { role: string; parts: Array<{ text: string } | InlinePart> }[] = messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
  const media = await mediaParts(http, step);
  if (media.length) {
    const last = contents.at(-1);
    if (last?.role === 'user') last.parts.push(...media);
    else contents.push({ role: 'user', parts: media });
  }
  const model = encodeURIComponent(text(config, 'model', context, budget));
  const res = await http.send({
    orgId: step.ids.orgId,
    method: 'POST',
    url: join(apiUrl, `v1beta/models/${model}:generateContent`),
    headers: { 'content-type': 'application/json', 'x-goog-api-key': text(config, 'apiKey', context, budget) },
    body: JSON.stringify({
      contents,
      ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}),
      generationConfig: {
        ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
        ...(config.maxTokens !== undefined ? { maxOutputTokens: config.maxTokens } : {}),
        ...(config.json ? { responseMimeType: 'application/json' } : {}),
      },
    }),
    signal,
  });
  assertOk(res, new URL(apiUrl).host, (b) => (b as { error?: { message?: string } })?.error?.message);
  const body = res.body as { candidates?: { content?: { parts?: { text?: string }[] }; finishReason?: string }[]; usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number } };
  const cand = body.candidates?.[0];
  if (!cand) throw new StepFailure('llm_empty', 'the model answered without a candidate', true);
  const u = body.usageMetadata ?? {};
  return {
    text: (cand.content?.parts ?? []).map((p) => p.text ?? '').join(''),
    finishReason: cand.finishReason ?? null,
    usage: { inputTokens: u.promptTokenCount ?? 0, outputTokens: u.candidatesTokenCount ?? 0, totalTokens: u.totalTokenCount ?? 0 },
  };
}

/** llm_completion: one chat completion; token usage is recorded for metering. */
export function llmCompletion(http: StepHttpClient, urls: { openai: string; gemini: string }): NodeProcessor<'llm_completion'> {
  return async (step) => {
    const { config, context, budget } = step;
    const messages = messagesOf(step);
    const provider = config.provider === 'gemini' ? 'gemini' : 'openai';
    const result = provider === 'gemini'
      ? await gemini(http, step, urls.gemini, messages)
      : await openai(http, step, optionalText(config, 'baseUrl', context, budget) ?? urls.openai, messages);
    const model = text(config, 'model', context, budget);
    // Metered as input and output tokens (priced apart: packages/billing), with the model.
    step.recordUsage?.({ kind: 'llm_tokens_in', quantity: result.usage.inputTokens, data: { provider, model } });
    step.recordUsage?.({ kind: 'llm_tokens_out', quantity: result.usage.outputTokens, data: { provider, model } });
    let json: unknown;
    if (config.json) {
      try {
        json = JSON.parse(result.text);
      } catch {
        throw new StepFailure('llm_invalid_json', 'the model was asked for JSON but answered text that does not parse', true);
      }
    }
    return { text: result.text, ...(config.json ? { json } : {}), model, finishReason: result.finishReason, usage: result.usage };
  };
}
