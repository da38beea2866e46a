import { EditorLoader, type Preloaded } from '../../../editor/EditorLoader';
import { openWorkflow } from '../../../lib/draft';
import { serverApi } from '../../../lib/server-api';

/**
 * The workflow and the node catalog are fetched here, on the server, while the page is rendered:
 * the editor starts as soon as it hydrates instead of asking the API afterwards (issue 4: opening
 * a 500-node workflow), and the draft is read here too (lib/draft.ts). Should that fail, the editor
 * fetches them itself and shows any error.
 */
export default async function WorkflowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditorLoader id={id} preloaded={await preload(id)} />;
}

async function preload(id: string): Promise<Preloaded | undefined> {
  const api = await serverApi();
  try {
    const [workflow, catalog] = await Promise.all([api.getWorkflow(id), api.catalogNodes()]);
    return { workflow: openWorkflow(workflow), catalog };
  } catch {
    return undefined;
  }
}
