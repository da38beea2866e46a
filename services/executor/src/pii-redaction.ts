import { redactValue, type PiiKind } from '@weft/pii';
import type { PiiSettings } from '@weft/workflow-schema';

/** Keeps a value as it is (a node with nothing to redact). */
const KEEP = <T>(value: T): T => value;

/** The kinds of personal data redacted from what a node's steps store: its own setting, else the workflow's. */
export function piiKindsOf(settings: PiiSettings | undefined, nodeId: string): readonly PiiKind[] {
  const own = settings?.nodes?.[nodeId];
  if (own) return own.redact === false ? [] : own.redact;
  return settings?.redact ?? [];
}

// The settings object is the same for every step of a cached graph version: one redactor per node.
const cache = new WeakMap<PiiSettings, Map<string, <T>(value: T) => T>>();

/**
 * What a step's output, error and log lines go through before they are kept (after secrets are
 * masked): personal data of the node's kinds replaced by `[redacted:<kind>]` (workflow
 * `settings.pii`). Identity when nothing is configured, so a workflow without it pays nothing.
 */
export function piiRedactor(settings: PiiSettings | undefined, nodeId: string): <T>(value: T) => T {
  if (!settings) return KEEP;
  let byNode = cache.get(settings);
  if (!byNode) cache.set(settings, (byNode = new Map()));
  let redact = byNode.get(nodeId);
  if (!redact) {
    const kinds = piiKindsOf(settings, nodeId);
    redact = kinds.length ? <T>(value: T): T => redactValue(value, { kinds }) : KEEP;
    byNode.set(nodeId, redact);
  }
  return redact;
}
