import type { WorkflowDefinition } from '@weft/workflow-schema';

export interface CachedVersion {
  id: string;
  workflow_id: string;
  definition: WorkflowDefinition;
}

/**
 * The workflow version a run request resolves to, remembered per org and request target
 * (`v:<versionId>` or `w:<workflowId>` for "latest published"). Versions are immutable, but the
 * latest one of a workflow changes when a new version is published: so an entry is only a guess,
 * which the run-creating statement checks (it inserts nothing when the guess is no longer the
 * latest), and the caller then reads the truth and tries again. Bounded, oldest evicted first.
 */
export class VersionCache {
  private readonly entries = new Map<string, CachedVersion>();

  constructor(private readonly max = 1000) {}

  static key(orgId: string, target: { workflowVersionId?: string | undefined; workflowId?: string | undefined }): string {
    return target.workflowVersionId ? `${orgId}:v:${target.workflowVersionId}` : `${orgId}:w:${target.workflowId}`;
  }

  get(key: string): CachedVersion | undefined {
    return this.entries.get(key);
  }

  set(key: string, version: CachedVersion): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, version);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
