import { approvalGate } from './approval-gate';
import { contactFormToSlackAndEmail } from './contact-form-to-slack-and-email';
import { dailyScheduledReport } from './daily-scheduled-report';
import { feedDigest } from './feed-digest';
import { feedbackSentimentToSheets } from './feedback-sentiment-to-sheets';
import { fetchAndReshape } from './fetch-and-reshape';
import { forEachEnrichment } from './for-each-enrichment';
import { geminiAudioTranscription } from './gemini-audio-transcription';
import { githubIssueToSlack } from './github-issue-to-slack';
import { llmTicketTriage } from './llm-ticket-triage';
import { llmWebPageSummary } from './llm-web-page-summary';
import { multiUrlUptimeCheck } from './multi-url-uptime-check';
import { retryBackoffApiSync } from './retry-backoff-api-sync';
import { routeByCondition } from './route-by-condition';
import { sheetsAppendFromWebhook } from './sheets-append-from-webhook';
import { signedWebhookRelay } from './signed-webhook-relay';
import { slackAlertOnFailedHttpCheck } from './slack-alert-on-failed-http-check';
import { stripeFailedPaymentAlert } from './stripe-failed-payment-alert';
import { stripePaymentToSheetsAndEmail } from './stripe-payment-to-sheets-and-email';
import { webhookEmailReceipt } from './webhook-email-receipt';
import type { StarterTemplate } from './types';

export type { StarterTemplate, StarterTrigger } from './types';

/**
 * The starter templates `npm start` publishes as the "Weft" creator's (one source: the studio's
 * starter menu offers the same definitions). Each has an end-to-end test in
 * tests/integration/src/starters.test.ts.
 */
export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  fetchAndReshape,
  routeByCondition,
  approvalGate,
  slackAlertOnFailedHttpCheck,
  sheetsAppendFromWebhook,
  llmWebPageSummary,
  llmTicketTriage,
  webhookEmailReceipt,
  dailyScheduledReport,
  githubIssueToSlack,
  stripePaymentToSheetsAndEmail,
  feedDigest,
  forEachEnrichment,
  retryBackoffApiSync,
  geminiAudioTranscription,
  signedWebhookRelay,
  feedbackSentimentToSheets,
  multiUrlUptimeCheck,
  stripeFailedPaymentAlert,
  contactFormToSlackAndEmail,
];

export const starterBySlug = (slug: string) => STARTER_TEMPLATES.find((s) => s.slug === slug);
