import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { Issue, Run, Settings, Step } from '@weft/workflow-schema';
import { hasBody } from '@weft/workflow-schema/kinds';
import { create } from 'zustand';
import { autoLayout } from '../lib/auto-layout';
import { edgeId, LOOP_BODY_ORIGIN, loopSize, toCanvasScoped } from '../lib/graph';
import { uniqueId } from '../lib/ids';
import { withKnownSizes } from '../lib/node-size';
import { pasteFragment, removeNodes, renameNode, type Fragment } from '../lib/ops';
import { initialConfig } from '../lib/schema';
import { SCOPE_SEP, type AppNode, type Catalog, type Doc, type StepData } from '../lib/types';

/** One item of a for_each, opened from the run view. */
export interface OpenIteration {
  /** Canvas id of the for_each node. */
  loopId: string;
  index: number;
  /** The iteration run (GET /v1/runs/:id of the item's run). */
  run: Run;
}

const HISTORY_LIMIT = 100;
/** Edits of the same field closer together than this are one undo step. */
const COALESCE_MS = 1200;

export interface EditorState extends Doc {
  workflowId: string;
  name: string;
  catalog: Catalog;
  past: Doc[];
  future: Doc[];
  /** Bumped by every change of the definition; autosave follows it. */
  revision: number;
  /** Problems the API named for the draft or the last publish. */
  problems: Issue[];
  run: Run | null;
  stepsByNode: Record<string, Step>;
  /** The for_each iteration opened in the run view: its body nodes show its steps. */
  iteration: OpenIteration | null;
  /** The opened iteration's steps by canvas id of the body node (`loop.node`). */
  bodySteps: Record<string, Step>;
  snapToGrid: boolean;
  /** Bumped when the graph is replaced wholesale (undo, redo, import, rename): forms re-read it. */
  epoch: number;
  coalesce: { key: string; at: number } | null;
}

export interface EditorActions {
  init(a: { workflowId: string; name: string; catalog: Catalog; doc: Doc }): void;
  /** Remembers the current graph for undo; `key` merges quick successive edits of one field. */
  checkpoint(key?: string): void;
  change(fn: (doc: Doc) => Partial<Doc>, key?: string): void;
  onNodesChange(changes: NodeChange<AppNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  connect(c: Connection): void;
  /** Adds a node (selected); with `from`, also the edge from that node (one undo step). Answers its id. */
  addNode(type: string, position: { x: number; y: number }, parentId?: string, from?: { source: string; sourceHandle?: string }): string;
  updateData(id: string, patch: Partial<StepData>, key?: string): void;
  rename(id: string, newLocal: string): void;
  removeSelected(): void;
  paste(fragment: Fragment, offset: { x: number; y: number }): void;
  setSelection(ids: ReadonlySet<string>): void;
  undo(): void;
  redo(): void;
  layout(): void;
  replaceDoc(doc: Doc): void;
  setSettings(settings: Settings): void;
  setProblems(problems: Issue[]): void;
  setRun(run: Run | null): void;
  /** Shows one iteration of the for_each `loopId` (canvas id) on its body nodes; null closes it. */
  setIteration(iteration: OpenIteration | null): void;
  toggleSnap(): void;
  nudge(dx: number, dy: number): void;
}

/** A canvas edge as the editor draws it. */
const weftEdge = (source: string, target: string, sourceHandle?: string | null) => ({
  id: edgeId(source, target, sourceHandle),
  type: 'weft' as const,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
  data: {},
});

const docOf = (s: Doc): Doc => ({ nodes: s.nodes, edges: s.edges, settings: s.settings });

export const useEditor = create<EditorState & EditorActions>()((set, get) => ({
  workflowId: '',
  name: '',
  catalog: {},
  nodes: [],
  edges: [],
  settings: {},
  past: [],
  future: [],
  revision: 0,
  problems: [],
  run: null,
  stepsByNode: {},
  iteration: null,
  bodySteps: {},
  snapToGrid: true,
  epoch: 0,
  coalesce: null,

  init: ({ workflowId, name, catalog, doc }) =>
    set({ workflowId, name, catalog, ...doc, nodes: withKnownSizes(doc.nodes, catalog), past: [], future: [], revision: 0, problems: [], run: null, stepsByNode: {}, iteration: null, bodySteps: {}, coalesce: null }),

  checkpoint: (key) => {
    const s = get();
    const now = Date.now();
    if (key && s.coalesce?.key === key && now - s.coalesce.at < COALESCE_MS) return set({ coalesce: { key, at: now } });
    set({ past: [...s.past, docOf(s)].slice(-HISTORY_LIMIT), future: [], coalesce: key ? { key, at: now } : null });
  },

  change: (fn, key) => {
    get().checkpoint(key);
    set((s) => ({ ...fn(docOf(s)), revision: s.revision + 1 }));
  },

  onNodesChange: (changes) => {
    const removes = changes.filter((c) => c.type === 'remove');
    if (removes.length) {
      const ids = new Set(removes.map((c) => c.id));
      return get().change((d) => removeNodes(d, ids));
    }
    const moved = changes.some((c) => c.type === 'position' && c.dragging === false);
    set((s) => ({ nodes: applyNodeChanges(changes, s.nodes), ...(moved ? { revision: s.revision + 1 } : {}) }));
  },

  onEdgesChange: (changes) => {
    if (changes.some((c) => c.type === 'remove')) get().checkpoint();
    const structural = changes.some((c) => c.type === 'remove' || c.type === 'add');
    set((s) => ({ edges: applyEdgeChanges(changes, s.edges), ...(structural ? { revision: s.revision + 1 } : {}) }));
  },

  connect: (c) =>
    get().change((d) => ({
      edges: [
        ...d.edges,
        weftEdge(c.source, c.target, c.sourceHandle),
      ],
    })),

  addNode: (type, position, parentId, from) => {
    const s = get();
    const entry = s.catalog[type];
    const taken = new Set(s.nodes.filter((n) => n.parentId === parentId).map((n) => n.data.localId));
    const localId = uniqueId(type === 'trigger' ? 'trigger' : type, taken);
    const config = entry ? initialConfig(entry) : {};
    const body = hasBody(type) ? { nodes: [{ id: 'start', type: 'trigger', config: {}, position: { ...LOOP_BODY_ORIGIN } }], edges: [] } : null;
    const graph = { nodes: [{ id: localId, type, config: body ? { ...config, body } : config, position }], edges: [] };
    const added = toCanvasScoped(graph, parentId ?? '');
    if (body) Object.assign(added.nodes[0]!, { style: { ...loopSize(body), width: loopSize(body).width } });
    const id = added.nodes[0]!.id;
    const edge = from ? [weftEdge(from.source, id, from.sourceHandle)] : [];
    s.change((d) => ({
      nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added.nodes.map((n) => ({ ...n, selected: n.id === id }))],
      ...(edge.length ? { edges: [...d.edges, ...edge] } : {}),
    }));
    return id;
  },

  updateData: (id, patch, key) =>
    get().change((d) => ({ nodes: d.nodes.map((n) => (n.id === id ? ({ ...n, data: { ...n.data, ...patch } } as AppNode) : n)) }), key ?? `data:${id}`),

  rename: (id, newLocal) => {
    get().change((d) => renameNode(d, id, newLocal));
    set((s) => ({ epoch: s.epoch + 1 }));
  },

  removeSelected: () => {
    const s = get();
    const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
    const edgeIds = new Set(s.edges.filter((e) => e.selected).map((e) => e.id));
    if (!ids.size && !edgeIds.size) return;
    s.change((d) => {
      const r = removeNodes(d, ids);
      return { nodes: r.nodes, edges: r.edges.filter((e) => !edgeIds.has(e.id)) };
    });
  },

  paste: (fragment, offset) =>
    get().change((d) => {
      const added = pasteFragment(d, fragment, offset);
      return { nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added.nodes], edges: [...d.edges, ...added.edges] };
    }),

  setSelection: (ids) =>
    set((s) => ({
      nodes: s.nodes.map((n) => (ids.has(n.id) === Boolean(n.selected) ? n : { ...n, selected: ids.has(n.id) })),
      edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    })),

  undo: () => {
    const s = get();
    const prev = s.past.at(-1);
    if (!prev) return;
    set({ ...prev, past: s.past.slice(0, -1), future: [docOf(s), ...s.future], revision: s.revision + 1, epoch: s.epoch + 1, coalesce: null });
  },

  redo: () => {
    const s = get();
    const next = s.future[0];
    if (!next) return;
    set({ ...next, past: [...s.past, docOf(s)], future: s.future.slice(1), revision: s.revision + 1, epoch: s.epoch + 1, coalesce: null });
  },

  layout: () => get().change((d) => autoLayout(d)),
  replaceDoc: (doc) => {
    get().change(() => ({ ...doc, nodes: withKnownSizes(doc.nodes, get().catalog) }));
    set((s) => ({ epoch: s.epoch + 1, problems: [] }));
  },
  setSettings: (settings) => get().change(() => ({ settings }), 'settings'),
  setProblems: (problems) => set({ problems }),
  setRun: (run) =>
    set((s) => ({ run, stepsByNode: run ? stepsIndex(run.steps) : {}, ...(run?.id === s.run?.id ? {} : { iteration: null, bodySteps: {} }) })),
  setIteration: (iteration) =>
    set({ iteration, bodySteps: iteration ? Object.fromEntries(Object.entries(stepsIndex(iteration.run.steps)).map(([id, st]) => [`${iteration.loopId}${SCOPE_SEP}${id}`, st])) : {} }),
  toggleSnap: () => set((s) => ({ snapToGrid: !s.snapToGrid })),

  nudge: (dx, dy) => {
    if (!get().nodes.some((n) => n.selected)) return;
    get().change(
      (d) => ({ nodes: d.nodes.map((n) => (n.selected ? { ...n, position: { x: n.position.x + dx, y: n.position.y + dy } } : n)) }),
      'nudge',
    );
  },
}));

/** The latest step of each node (a retried node has several). */
function stepsIndex(steps: Step[]): Record<string, Step> {
  const out: Record<string, Step> = {};
  for (const step of steps) {
    const prev = out[step.nodeId];
    if (!prev || step.attempt >= prev.attempt) out[step.nodeId] = step;
  }
  return out;
}
