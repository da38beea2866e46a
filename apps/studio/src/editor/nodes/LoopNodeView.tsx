import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LoopNode } from '../../lib/types';
import { NodeIcon } from './icons';
import { StatusPill } from './StatusPill';
import { useNodeState } from './use-node-state';

/** A for_each node: a group whose inside is the body graph run for every item. */
function LoopNodeView({ data, selected, parentId }: NodeProps<LoopNode>) {
  const { entry, status, problems } = useNodeState(data, Boolean(parentId));
  const items = typeof data.config.items === 'string' && data.config.items ? data.config.items : 'no items yet';
  return (
    <div className="wf-loop" data-testid={`node-${data.localId}`} data-status={status ?? 'none'} data-invalid={problems.length > 0} aria-selected={selected}>
      <Handle type="target" position={Position.Left} className="wf-handle" style={{ top: 28 }} />
      <div className="wf-loop-header">
        <div className="wf-node-icon">
          <NodeIcon name={entry?.icon} />
        </div>
        <div className="wf-node-text">
          <div className="wf-node-title">{data.name || data.localId}</div>
          <div className="wf-node-sub mono">for each in {items}</div>
        </div>
        {status ? <StatusPill status={status} /> : null}
        {problems.length > 0 && (
          <span className="wf-node-problem" title={problems.join('\n')} data-testid="node-problem">
            {problems.length}
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Right} className="wf-handle" style={{ top: 28 }} />
    </div>
  );
}

export default memo(LoopNodeView);
