import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import LoopNodeView from './LoopNodeView';
import StepNodeView from './StepNodeView';
import WeftEdge from './WeftEdge';

/** Node kinds on the canvas: a step, and a for_each drawn as a group. */
export const nodeTypes = { step: StepNodeView, loop: LoopNodeView } satisfies NodeTypes;
export const edgeTypes = { weft: WeftEdge } satisfies EdgeTypes;
