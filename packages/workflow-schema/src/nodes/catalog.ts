import { z } from 'zod';
import {
  GoogleSheetsAppendConfigSchema,
  LlmCompletionConfigSchema,
  SendEmailConfigSchema,
  SlackMessageConfigSchema,
  WebhookOutConfigSchema,
} from './integrations';
import {
  BranchConfigSchema,
  DelayConfigSchema,
  ForEachConfigSchema,
  FunctionConfigSchema,
  HttpRequestConfigSchema,
  SubWorkflowConfigSchema,
  TerminateConfigSchema,
  TransformConfigSchema,
  TriggerConfigSchema,
  WaitForApprovalConfigSchema,
} from './configs';
import type { NodeKind } from './kinds';
import { NODE_TYPE_KINDS, kindHas, type KindedNodeType } from './type-kinds';

export { nodeKind, kindHas, isOfKind, typesOfKind, typesWith, hasBody, isResumable, reusesOutput } from './type-kinds';
export type { NodeTypeOfKind } from './type-kinds';

export interface NodeTypeSpec<K extends NodeKind = NodeKind, C extends z.ZodType = z.ZodType, H extends string = string> {
  type: string;
  title: string;
  description: string;
  category: 'core' | 'flow' | 'integration' | 'human';
  /** How the platform carries it out (kinds.ts), from the kind table (type-kinds.ts): the one place that decides it. */
  kind: K;
  icon: string;
  config: C;
  /** Named outputs; an empty list means the single default output. */
  handles: H[];
  example: Record<string, unknown>;
  /** JSON Schema of the output, where it is known. */
  outputSchema?: Record<string, unknown>;
  /** Fields of the config that hold JMESPath expressions (checked at publish). */
  expressionFields: string[];
  /** `false`: no `error` handle although its kind has one (a type whose steps cannot fail); see `hasErrorHandle`. */
  errorHandle?: false;
}

/**
 * An entry with its kind from the kind table (type-kinds.ts), keeping its kind and config schema as
 * precise types (for the per-kind and per-config types below).
 */
const spec = <T extends KindedNodeType, C extends z.ZodType, const H extends string = never>(
  s: Omit<NodeTypeSpec<(typeof NODE_TYPE_KINDS)[T], C, H>, 'kind' | 'type'> & { type: T },
): NodeTypeSpec<(typeof NODE_TYPE_KINDS)[T], C, H> & { type: T } => ({ ...s, kind: NODE_TYPE_KINDS[s.type] });

/** Every node type Weft knows, keyed by type. */
export const nodeTypes = {
  trigger: spec({
    type: 'trigger',
    title: 'Trigger',
    description: 'Starts the run; its output is the run inputs.',
    category: 'core',
    icon: 'play',
    config: TriggerConfigSchema,
    handles: [],
    example: { inputSchema: { type: 'object', properties: { url: { type: 'string' } } } },
    expressionFields: [],
    // It only hands the run inputs on: nothing to catch.
    errorHandle: false,
  }),
  transform: spec({
    type: 'transform',
    title: 'Transform',
    description: 'Reshapes data with a JMESPath expression.',
    category: 'core',
    icon: 'shuffle',
    config: TransformConfigSchema,
    handles: [],
    example: { expression: 'steps.fetch.output.body.items[].name' },
    expressionFields: ['expression'],
  }),
  http_request: spec({
    type: 'http_request',
    title: 'HTTP request',
    description: 'Calls an HTTP API; JSON answers are parsed.',
    category: 'integration',
    icon: 'globe',
    config: HttpRequestConfigSchema,
    handles: [],
    example: { method: 'GET', url: 'https://api.example.com/items?q={{ input.q }}' },
    outputSchema: {
      type: 'object',
      properties: { status: { type: 'integer' }, headers: { type: 'object' }, body: {} },
    },
    expressionFields: [],
  }),
  branch: spec({
    type: 'branch',
    title: 'Branch',
    description: 'Takes the `true` or `false` path depending on a JMESPath condition.',
    category: 'flow',
    icon: 'git-branch',
    config: BranchConfigSchema,
    handles: ['true', 'false'],
    example: { condition: 'input.amount > `100`' },
    outputSchema: { type: 'object', properties: { result: { type: 'boolean' } } },
    expressionFields: ['condition'],
  }),
  delay: spec({
    type: 'delay',
    title: 'Delay',
    description: 'Waits for a duration or until a time; survives restarts.',
    category: 'flow',
    icon: 'clock',
    config: DelayConfigSchema,
    handles: [],
    example: { durationMs: 60000 },
    outputSchema: { type: 'object', properties: { resumedAt: { type: 'string' } } },
    expressionFields: [],
  }),
  wait_for_approval: spec({
    type: 'wait_for_approval',
    title: 'Wait for approval',
    description: 'Pauses the run until a person approves or rejects it.',
    category: 'human',
    icon: 'user-check',
    config: WaitForApprovalConfigSchema,
    handles: ['approved', 'rejected'],
    example: { prompt: 'Send {{ input.amount }} EUR?', timeoutMs: 86400000 },
    expressionFields: [],
  }),
  for_each: spec({
    type: 'for_each',
    title: 'For each',
    description: 'Runs an inline sub-graph for every item of an array, with a concurrency limit.',
    category: 'flow',
    icon: 'repeat',
    config: ForEachConfigSchema,
    handles: [],
    example: {
      items: 'input.users',
      concurrency: 10,
      body: {
        nodes: [
          { id: 'start', type: 'trigger', config: {} },
          { id: 'greet', type: 'transform', config: { expression: "join(' ', ['hi', item.name])" } },
        ],
        edges: [{ source: 'start', target: 'greet' }],
      },
    },
    outputSchema: { type: 'array' },
    expressionFields: ['items'],
  }),
  sub_workflow: spec({
    type: 'sub_workflow',
    title: 'Sub-workflow',
    description: 'Runs another workflow and returns its output.',
    category: 'flow',
    icon: 'layers',
    config: SubWorkflowConfigSchema,
    handles: [],
    example: { workflowId: '00000000-0000-7000-8000-000000000000', input: '{{ input }}' },
    expressionFields: [],
  }),
  function: spec({
    type: 'function',
    title: 'Function',
    description: 'Calls a registered server-side function.',
    category: 'core',
    icon: 'code',
    config: FunctionConfigSchema,
    handles: [],
    example: { name: 'slugify', args: { text: '{{ input.title }}' } },
    expressionFields: [],
  }),
  terminate: spec({
    type: 'terminate',
    title: 'Terminate',
    description: 'Ends the run at once with the given status.',
    category: 'flow',
    icon: 'square',
    config: TerminateConfigSchema,
    handles: [],
    example: { status: 'failed', message: 'Order {{ input.id }} is invalid' },
    expressionFields: [],
  }),
  llm_completion: spec({
    type: 'llm_completion',
    title: 'LLM completion',
    description: 'Chat completion with an OpenAI-compatible API or Google Gemini; token usage is metered.',
    category: 'integration',
    icon: 'sparkles',
    config: LlmCompletionConfigSchema,
    handles: [],
    example: { provider: 'openai', apiKey: '{{ secrets.OPENAI_API_KEY }}', model: 'gpt-4o-mini', prompt: 'Summarise: {{ input.text }}', temperature: 0.2 },
    outputSchema: { type: 'object', properties: { text: { type: 'string' }, json: {}, model: { type: 'string' }, finishReason: { type: 'string' }, usage: { type: 'object', properties: { inputTokens: { type: 'integer' }, outputTokens: { type: 'integer' }, totalTokens: { type: 'integer' } } } } },
    expressionFields: [],
  }),
  slack_message: spec({
    type: 'slack_message',
    title: 'Slack message',
    description: 'Posts to Slack through an incoming webhook or chat.postMessage with a bot token.',
    category: 'integration',
    icon: 'message-square',
    config: SlackMessageConfigSchema,
    handles: [],
    example: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '#ops', text: 'Order {{ input.id }} shipped' },
    outputSchema: { type: 'object', properties: { ok: { type: 'boolean' }, channel: { type: 'string' }, ts: { type: 'string' } } },
    expressionFields: [],
  }),
  google_sheets_append: spec({
    type: 'google_sheets_append',
    title: 'Google Sheets: append rows',
    description: 'Appends rows to a sheet (spreadsheets.values.append).',
    category: 'integration',
    icon: 'table',
    config: GoogleSheetsAppendConfigSchema,
    handles: [],
    example: { accessToken: '{{ secrets.GOOGLE_TOKEN }}', spreadsheetId: '1AbC…', range: 'Orders!A:C', values: [['{{ input.id }}', '{{ input.total }}', '{{ run.id }}']] },
    outputSchema: { type: 'object', properties: { spreadsheetId: { type: 'string' }, updatedRange: { type: 'string' }, updatedRows: { type: 'integer' } } },
    expressionFields: [],
  }),
  send_email: spec({
    type: 'send_email',
    title: 'Send email',
    description: 'Sends an email over SMTP.',
    category: 'integration',
    icon: 'mail',
    config: SendEmailConfigSchema,
    handles: [],
    example: { smtpUrl: '{{ secrets.SMTP_URL }}', from: 'bot@example.com', to: '{{ input.email }}', subject: 'Welcome', text: 'Hello {{ input.name }}' },
    outputSchema: { type: 'object', properties: { messageId: { type: 'string' }, accepted: { type: 'array' }, rejected: { type: 'array' } } },
    expressionFields: [],
  }),
  webhook_out: spec({
    type: 'webhook_out',
    title: 'Webhook (signed)',
    description: 'POSTs a JSON payload signed per the Standard Webhooks spec.',
    category: 'integration',
    icon: 'send',
    config: WebhookOutConfigSchema,
    handles: [],
    example: { url: 'https://example.com/hooks/weft', secret: '{{ secrets.WEBHOOK_SECRET }}', payload: { event: 'order.shipped', id: '{{ input.id }}' } },
    outputSchema: { type: 'object', properties: { status: { type: 'integer' }, webhookId: { type: 'string' }, body: {} } },
    expressionFields: [],
  }),
} satisfies Record<string, NodeTypeSpec>;

export type NodeType = keyof typeof nodeTypes;
export const NODE_TYPES = Object.keys(nodeTypes) as NodeType[];

export function isNodeType(t: string): t is NodeType {
  return Object.hasOwn(nodeTypes, t);
}

/** The kind of each node type, as a type: `KindOf['delay']` is `'timer'`. */
export type KindOf = { [T in NodeType]: (typeof nodeTypes)[T]['kind'] };
/** The named outputs of each node type, as a type: `HandleOf<'branch'>` is `'true' | 'false'`. */
export type HandleOf<T extends NodeType> = (typeof nodeTypes)[T]['handles'][number];
/** The node types with named outputs (their output decides which handle is taken). */
export type BranchingNodeType = { [T in NodeType]: [HandleOf<T>] extends [never] ? never : T }[NodeType];
/** Each node type's config as its schema parses it (defaults applied): `NodeConfigs['for_each'].concurrency` is a number. */
export type NodeConfigs = { [T in NodeType]: z.output<(typeof nodeTypes)[T]['config']> };
export type NodeConfig<T extends NodeType> = NodeConfigs[T];

/**
 * A node's config typed by its type. The config was parsed by the type's schema when the version
 * was compiled (defaults applied), so this is a view, not a second parse; a node of another type
 * is a programming error.
 */
export function configOf<T extends NodeType>(node: { type: string; config: unknown }, type: T): NodeConfig<T> {
  if (node.type !== type) throw new Error(`node of type "${node.type}" read as "${type}"`);
  return node.config as NodeConfig<T>;
}

/** The handle of the edges taken when a node's step fails after its retries (its output is then the error). */
export const ERROR_HANDLE = 'error';

/**
 * Whether a node type has the `error` handle (and `continueOnFail`): its kind says its steps can
 * fail and be caught (kinds.ts `errorHandle`), unless the type opts out (the trigger).
 */
export function hasErrorHandle(type: string): boolean {
  return kindHas(type, 'errorHandle') && isNodeType(type) && (nodeTypes[type] as NodeTypeSpec).errorHandle !== false;
}

/** Node types whose output decides which handle is taken: those with named outputs. */
export const BRANCHING_TYPES: ReadonlySet<string> = new Set(NODE_TYPES.filter((t) => nodeTypes[t].handles.length > 0));

/** The catalog entry served by `GET /v1/catalog/nodes`, config as JSON Schema. */
export function catalogEntry(s: NodeTypeSpec) {
  return {
    type: s.type,
    title: s.title,
    description: s.description,
    category: s.category,
    kind: s.kind,
    icon: s.icon,
    configSchema: z.toJSONSchema(s.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    handles: s.handles,
    errorHandle: hasErrorHandle(s.type),
    example: s.example,
    ...(s.outputSchema ? { outputSchema: s.outputSchema } : {}),
  };
}
export type CatalogEntry = ReturnType<typeof catalogEntry>;
