import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { AppEdge } from '../../lib/types';

/** A connection (named outputs are labelled at the node, where the edge leaves). */
function WeftEdge(props: EdgeProps<AppEdge>) {
  const [path] = getBezierPath(props);
  const tone = props.sourceHandleId ? ` wf-edge-${props.sourceHandleId}` : '';
  return <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} className={`wf-edge${tone}${props.selected ? ' selected' : ''}`} interactionWidth={16} />;
}

export default memo(WeftEdge);
