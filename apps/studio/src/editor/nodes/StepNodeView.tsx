import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { StepNode } from '../../lib/types';
import { NodeIcon } from './icons';
import { StatusPill } from './StatusPill';
import { useNodeState } from './use-node-state';

/** A step on the canvas: icon, name, type, run status, problems, and its input/output handles. */
function StepNodeView({ data, selected, parentId }: NodeProps<StepNode>) {
  const { entry, status, problems } = useNodeState(data, Boolean(parentId));
  const handles = entry?.handles ?? [];
  const isTrigger = data.type === 'trigger';
  return (
    <div
      className="wf-node"
      data-testid={`node-${data.localId}`}
      data-status={status ?? 'none'}
      data-category={entry?.category ?? 'unknown'}
      data-invalid={problems.length > 0}
      aria-selected={selected}
      style={handles.length > 1 ? { minHeight: 28 + handles.length * 24 } : undefined}
    >
      {!isTrigger && <Handle type="target" position={Position.Left} className="wf-handle" />}
      <div className="wf-node-icon">
        <NodeIcon name={entry?.icon} />
      </div>
      <div className="wf-node-text">
        <div className="wf-node-title">{data.name || data.localId}</div>
        <div className="wf-node-sub">{data.name ? `${data.localId} · ${entry?.title ?? data.type}` : (entry?.title ?? data.type)}</div>
      </div>
      {status ? <StatusPill status={status} /> : null}
      {problems.length > 0 && (
        <span className="wf-node-problem" title={problems.join('\n')} data-testid="node-problem">
          {problems.length}
        </span>
      )}
      {handles.length === 0 ? (
        <Handle type="source" position={Position.Right} className="wf-handle" />
      ) : (
        handles.map((h, i) => (
          <div key={h} className="wf-out" style={{ top: `${((i + 1) / (handles.length + 1)) * 100}%` }}>
            <span className={`wf-out-label wf-out-${h}`}>{h}</span>
            <Handle id={h} type="source" position={Position.Right} className={`wf-handle wf-handle-${h}`} data-testid={`handle-${data.localId}-${h}`} />
          </div>
        ))
      )}
    </div>
  );
}

export default memo(StepNodeView);
