import type { AddressPolicy } from '../http/address-policy';
import type { StepHttpClient } from '../http/client';
import type { RegisteredFunction } from '@weft/functions';
import { pure } from './core';
import { callFunction } from './function';
import { httpRequest } from './http-request';
import { sendEmail, type SendEmailOptions } from './integrations/email';
import { googleSheetsAppend } from './integrations/google-sheets';
import { llmCompletion } from './integrations/llm';
import { slackMessage } from './integrations/slack';
import { webhookOut } from './integrations/webhook-out';
import type { ExecutableNodeType, NodeProcessor, Processors, StepContext } from './types';

/** Where the SaaS integrations live (operators and tests may point them elsewhere). */
export interface IntegrationUrls {
  openai: string;
  gemini: string;
  slack: string;
  googleSheets: string;
}

export const DEFAULT_INTEGRATION_URLS: IntegrationUrls = {
  openai: 'https://api.openai.com/v1',
  gemini: 'https://generativelanguage.googleapis.com',
  slack: 'https://slack.com/api',
  googleSheets: 'https://sheets.googleapis.com',
};

/**
 * One processor per node type an executor runs. The record is checked against the catalog: a new
 * executor (or inline) node type without a processor here, or a processor for a type the executor
 * never runs, fails the typecheck.
 */
export function createProcessors(deps: {
  http: StepHttpClient;
  policy: AddressPolicy;
  urls?: Partial<IntegrationUrls>;
  functions?: ReadonlyMap<string, RegisteredFunction>;
  /** send_email's TLS requirement (and extra trusted CAs). */
  email?: SendEmailOptions;
}): Processors {
  const urls = { ...DEFAULT_INTEGRATION_URLS, ...deps.urls };
  return {
    trigger: pure,
    transform: pure,
    branch: pure,
    http_request: httpRequest(deps.http),
    webhook_out: webhookOut(deps.http),
    slack_message: slackMessage(deps.http, urls.slack),
    google_sheets_append: googleSheetsAppend(deps.http, urls.googleSheets),
    llm_completion: llmCompletion(deps.http, { openai: urls.openai, gemini: urls.gemini }),
    send_email: sendEmail(deps.policy, deps.email),
    function: callFunction(deps.functions ?? new Map()),
  };
}

/** Whether the executor runs nodes of this type. */
export const isExecutableType = (processors: Processors, type: string): type is ExecutableNodeType => Object.hasOwn(processors, type);

/**
 * Runs the processor of a node's type with the node's config. The config was parsed by that
 * type's schema at publish, so it is the type's config: the one place where TypeScript is told
 * so (it cannot follow a type and its config through one lookup).
 */
export function runProcessor<T extends ExecutableNodeType>(processors: Processors, type: T, step: Omit<StepContext<T>, 'nodeType' | 'config'> & { config: unknown }): Promise<unknown> {
  const processor = processors[type] as NodeProcessor<T>;
  return processor({ ...step, nodeType: type, config: step.config as StepContext<T>['config'] });
}
export type { ExecutableNodeType, NodeProcessor, Processors, StepContext, UsageRecord } from './types';
export type { SendEmailOptions, SmtpTlsRequirement } from './integrations/email';
