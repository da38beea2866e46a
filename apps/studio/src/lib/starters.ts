import { STARTER_TEMPLATES } from '@weft/templates/starters';
import type { WorkflowDefinition } from '@weft/workflow-schema';

export interface Starter {
  key: string;
  name: string;
  description: string;
  definition: WorkflowDefinition;
  sampleInputs: Record<string, unknown>;
  /** The secrets the starter reads (its template's credential slots): create them before running. */
  credentials: string[];
}

/** The keys the three first starters always had in the studio (test ids, links). */
const KEYS: Record<string, string> = { 'fetch-and-reshape': 'fetch', 'route-by-condition': 'route', 'approval-gate': 'approval' };

/**
 * The starter workflows: the same definitions `npm start` publishes as the Weft creator's
 * templates (packages/templates/src/starters), one source for both.
 */
export const STARTERS: Starter[] = STARTER_TEMPLATES.map((s) => ({
  key: KEYS[s.slug] ?? s.slug,
  name: s.name,
  description: s.summary,
  definition: s.definition,
  sampleInputs: s.sampleInputs,
  credentials: Object.keys(s.credentials),
}));

/** The starters that run as they are (no credentials, no outside service to set up): offered on an empty list or canvas. */
export const QUICK_STARTERS: Starter[] = STARTERS.filter((s) => s.credentials.length === 0);
