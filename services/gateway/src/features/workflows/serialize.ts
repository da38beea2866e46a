import type { Workflow, WorkflowVersion } from '@weft/db';
import { actorOf } from '../../auth/api-keys';

export const workflowView = (w: Workflow) => ({
  id: w.id,
  name: w.name,
  description: w.description,
  draft: w.draft as Record<string, unknown>,
  latestVersion: w.latestVersion,
  tags: Array.isArray(w.tags) ? (w.tags as string[]) : [],
  enabled: w.enabled,
  createdBy: actorOf(w.createdBy),
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

export const versionView = (v: WorkflowVersion) => ({
  id: v.id,
  workflowId: v.workflowId,
  // Draft snapshots (version null) are never served as versions: callers filter them out.
  version: v.version ?? 0,
  definition: v.definition as never,
  publishedBy: actorOf(v.publishedBy),
  createdAt: v.createdAt.toISOString(),
});
