import { WeftApiError, type WeftClient } from '@weft/sdk';
import type { Issue } from '@weft/workflow-schema';

/** Publishes `definition` as a new workflow's first version: 201 and no issues, or the API's status and issues. */
export async function publishIssues(client: WeftClient, definition: unknown, name = 'checked'): Promise<{ status: number; issues: Issue[] }> {
  const wf = await client.createWorkflow({ name });
  try {
    await client.publishVersion(wf.id, definition);
    return { status: 201, issues: [] };
  } catch (err) {
    if (!(err instanceof WeftApiError)) throw err;
    return { status: err.status, issues: err.issues };
  }
}
