import { Handle, type HandleType, type Position } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { onHandleKey } from '../keyboard-connect';

interface Props {
  nodeId: string;
  type: HandleType;
  position: Position;
  id?: string;
  className: string;
  style?: CSSProperties;
  testId?: string;
  /** What a screen reader says for it: "Input of fetch", "true output of check". */
  label: string;
  /** Zoomed far out (editor/zoom.ts): handles are not shown there (nodes.css `is-far`). */
  far: boolean;
}

/**
 * A node's input or output. Zoomed far out handles are hidden and cannot be used, yet React Flow
 * measures them to know where edges end: there it gets an inert element with the classes and data
 * attributes it measures by (the same box, so edges end at the same points), instead of a
 * `<Handle>`, which subscribes to React Flow's store to follow connections. Hundreds of those were a
 * good part of opening a big workflow (issue 4); zooming in puts real handles in their place.
 * A real handle is a labelled button for the keyboard: Enter on an output, then on an input, connects them.
 */
export function NodeHandle({ nodeId, type, position, id, className, style, testId, label, far }: Props) {
  if (!far) {
    return (
      <Handle
        id={id}
        type={type}
        position={position}
        className={className}
        style={style}
        data-testid={testId}
        tabIndex={0}
        role="button"
        aria-label={label}
        onKeyDown={(e) => onHandleKey(e, { nodeId, type, handleId: id ?? null, label })}
      />
    );
  }
  return (
    <div
      className={`react-flow__handle react-flow__handle-${position} ${type} ${className}`}
      data-handleid={id}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-testid={testId}
      style={style}
    />
  );
}
