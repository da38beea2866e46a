import { Position, type NodeProps } from '@xyflow/react';
import { memo, use } from 'react';
import { stepHeight } from '../../lib/node-size';
import type { StepNode } from '../../lib/types';
import { ErrorHandle } from './ErrorHandle';
import { NodeHandle } from './NodeHandle';
import { NodeLabel } from './NodeLabel';
import { StatusPill } from './StatusPill';
import { FarContext } from '../zoom';
import { useNodeState } from './use-node-state';

/** A step on the canvas: icon, name, type, run status, problems, and its input/output handles (and its red error output, at the bottom). */
function StepNodeView({ id, data, selected, parentId }: NodeProps<StepNode>) {
  const { entry, status, problems } = useNodeState(id, data, Boolean(parentId));
  const handles = entry?.handles ?? [];
  const isTrigger = data.type === 'trigger';
  // Zoomed far out only the box is drawn (nodes.css): building hundreds of icons and texts nobody
  // can read is most of the cost of opening a big workflow. The name stays as the tooltip.
  const far = use(FarContext);
  const title = data.name || data.localId;
  return (
    <div
      className="wf-node"
      data-testid={`node-${data.localId}`}
      data-status={status ?? 'none'}
      data-category={entry?.category ?? 'unknown'}
      data-invalid={problems.length > 0}
      aria-selected={selected}
      style={handles.length > 1 ? { minHeight: stepHeight(handles.length) } : undefined}
      title={far ? title : undefined}
    >
      {!isTrigger && <NodeHandle nodeId={id} far={far} type="target" position={Position.Left} className="wf-handle" label={`Input of ${title}`} />}
      {!far && <NodeLabel icon={entry?.icon} title={title} sub={data.name ? `${data.localId} · ${entry?.title ?? data.type}` : (entry?.title ?? data.type)} />}
      {status ? <StatusPill status={status} /> : null}
      {problems.length > 0 && (
        <span className="wf-node-problem" title={problems.join('\n')} data-testid="node-problem">
          {problems.length}
        </span>
      )}
      {handles.length === 0 ? (
        <NodeHandle nodeId={id} far={far} type="source" position={Position.Right} className="wf-handle" label={`Output of ${title}`} />
      ) : (
        handles.map((h, i) => (
          <div key={h} className="wf-out" style={{ top: `${((i + 1) / (handles.length + 1)) * 100}%` }}>
            {!far && <span className={`wf-out-label wf-out-${h}`}>{h}</span>}
            <NodeHandle nodeId={id} far={far} id={h} type="source" position={Position.Right} className={`wf-handle wf-handle-${h}`} testId={`handle-${data.localId}-${h}`} label={`${h} output of ${title}`} />
          </div>
        ))
      )}
      {entry?.errorHandle && <ErrorHandle nodeId={id} localId={data.localId} title={title} far={far} />}
    </div>
  );
}

export default memo(StepNodeView);
