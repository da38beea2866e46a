import type { WorkflowDefinition } from '@weft/workflow-schema';

/** How a starter is meant to be started once installed. */
export type StarterTrigger =
  | { kind: 'api' }
  | { kind: 'webhook'; scheme: 'standard-webhooks' | 'github' | 'stripe' | 'header'; header?: string }
  | { kind: 'schedule'; cron: string; timezone: string };

/**
 * A starter template: a workflow (the contract's definition JSON) with what its gallery page
 * shows. `credentials` describes each `{{ secrets.SLOT }}` the definition reads (the slots an
 * installer maps); `sampleInputs` runs it as it is started (for a webhook, the delivery's body).
 */
export interface StarterTemplate {
  slug: string;
  name: string;
  summary: string;
  readme: string;
  tags: string[];
  category: string;
  /** Services it calls, for the table in docs/starters.md and the gallery. */
  services: string[];
  credentials: Record<string, { description: string; kind: string }>;
  trigger: StarterTrigger;
  sampleInputs: Record<string, unknown>;
  definition: WorkflowDefinition;
}
