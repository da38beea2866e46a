import { ERROR_HANDLE } from '@weft/workflow-schema';
import { Position } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { NodeHandle } from './NodeHandle';

/**
 * The red `error` output of a node whose type has one (catalog `errorHandle`): an edge drawn from
 * it is taken when the step fails after its retries, and its output is then the error.
 */
export function ErrorHandle({ nodeId, localId, title, far, position = Position.Bottom, style }: { nodeId: string; localId: string; title: string; far: boolean; position?: Position; style?: CSSProperties }) {
  return (
    <div className={`wf-err wf-err-${position}`} style={style}>
      {!far && <span className="wf-err-label">error</span>}
      <NodeHandle nodeId={nodeId} far={far} id={ERROR_HANDLE} type="source" position={position} className="wf-handle wf-handle-error" testId={`handle-${localId}-error`} label={`Error output of ${title}`} />
    </div>
  );
}
