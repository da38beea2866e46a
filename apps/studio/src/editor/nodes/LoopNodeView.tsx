import { Position, type NodeProps } from '@xyflow/react';
import { memo, use } from 'react';
import type { LoopNode } from '../../lib/types';
import { ErrorHandle } from './ErrorHandle';
import { NodeHandle } from './NodeHandle';
import { NodeLabel } from './NodeLabel';
import { StatusPill } from './StatusPill';
import { FarContext } from '../zoom';
import { useNodeState } from './use-node-state';

/** A for_each node: a group whose inside is the body graph run for every item. */
function LoopNodeView({ id, data, selected, parentId }: NodeProps<LoopNode>) {
  const { entry, status, items: progress, problems } = useNodeState(id, data, Boolean(parentId));
  const items = typeof data.config.items === 'string' && data.config.items ? data.config.items : 'no items yet';
  const far = use(FarContext); // as StepNodeView: only the box when zoomed far out
  const title = data.name || data.localId;
  return (
    <div
      className="wf-loop"
      data-testid={`node-${data.localId}`}
      data-status={status ?? 'none'}
      data-invalid={problems.length > 0}
      aria-selected={selected}
      title={far ? title : undefined}
    >
      <NodeHandle nodeId={id} far={far} type="target" position={Position.Left} className="wf-handle" style={HANDLE_TOP} label={`Input of ${title}`} />
      <div className="wf-loop-header">
        {!far && <NodeLabel icon={entry?.icon} title={title} sub={`for each in ${items}`} mono />}
        {progress && progress.total > 0 && !far && (
          <span className="wf-loop-items" data-testid="loop-items" title="Items done of all items (failed)">
            {progress.done}/{progress.total} items{progress.failed ? ` · ${progress.failed} failed` : ''}
          </span>
        )}
        {status ? <StatusPill status={status} /> : null}
        {problems.length > 0 && (
          <span className="wf-node-problem" title={problems.join('\n')} data-testid="node-problem">
            {problems.length}
          </span>
        )}
      </div>
      <NodeHandle nodeId={id} far={far} type="source" position={Position.Right} className="wf-handle" style={HANDLE_TOP} label={`Output of ${title}`} />
      {entry?.errorHandle && <ErrorHandle nodeId={id} localId={data.localId} title={title} far={far} position={Position.Right} style={ERROR_TOP} />}
    </div>
  );
}

const HANDLE_TOP = { top: 28 };
/** A loop's error output sits on its right side under the main one (its bottom can be far below). */
const ERROR_TOP = { top: 52 };

export default memo(LoopNodeView);
