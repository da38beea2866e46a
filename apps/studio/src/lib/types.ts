import type { Edge, Node } from '@xyflow/react';
import type { CatalogEntry, Settings } from '@weft/workflow-schema';

/** What a canvas node carries: the definition node minus its id and position. */
export interface StepData extends Record<string, unknown> {
  type: string;
  config: Record<string, unknown>;
  name?: string;
  /** The id inside the definition (differs from the canvas id only inside a for_each body). */
  localId: string;
}

/** A plain step on the canvas. */
export type StepNode = Node<StepData, 'step'>;
/** A for_each node, drawn as a group containing its body's nodes. */
export type LoopNode = Node<StepData, 'loop'>;
export type AppNode = StepNode | LoopNode;

export interface EdgeData extends Record<string, unknown> {
  /** The edge's `id` as written in the definition, kept so that export gives it back. */
  defId?: string;
}
export type AppEdge = Edge<EdgeData>;

/** The graph part of the editor state, also what undo/redo snapshots. */
export interface Doc {
  nodes: AppNode[];
  edges: AppEdge[];
  settings: Settings;
}

export type Catalog = Record<string, CatalogEntry>;

/** Separator between a for_each id and a body node id in canvas ids; ids cannot contain it. */
export const SCOPE_SEP = '.';
