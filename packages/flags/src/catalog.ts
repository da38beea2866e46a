import { z } from 'zod';

/** A feature flag as declared in code: what it changes, and its value where nobody set one. */
export interface FlagDefinition {
  description: string;
  default: boolean;
}

/**
 * Every flag of the platform. A flag exists because code reads it: adding one here and reading it
 * with `FeatureFlags.enabled` is the whole of it; platform admins then set its default or an org's
 * value (`PUT /v1/admin/feature-flags/...`) without a deploy.
 */
export const FLAGS = {
  'iteration-successors': {
    description:
      'A for_each item that ends in an executor starts the loop\'s next pending item in the same slot, without a round trip through the orchestrator (WEFT_ITERATION_SUCCESSORS turns it off for every org; this flag, per org).',
    default: true,
  },
} as const satisfies Record<string, FlagDefinition>;

export type FlagKey = keyof typeof FLAGS;

export const FLAG_KEYS = Object.keys(FLAGS) as [FlagKey, ...FlagKey[]];

export const FlagKeySchema = z.enum(FLAG_KEYS);

/** What reads flags: the cache (`FeatureFlags`) or anything that answers the same way. */
export interface FlagReader {
  /** Whether `key` is on for `orgId`: the org's value, else the flag's default. Synchronous, from memory. */
  enabled(orgId: string, key: FlagKey): boolean;
}
