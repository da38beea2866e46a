import { isDeepStrictEqual } from 'node:util';
import { formatPath } from './paths';

/** Which side a conflict takes: the user's workflow (`ours`) or the new template version (`theirs`). */
export type MergeSide = 'ours' | 'theirs';

/** A place both sides changed differently since the base: `path` names the node and field, e.g. `nodes.alert.config.text`. */
export interface MergeConflict {
  path: string;
  nodeId?: string;
  /** The value at the path in each definition (undefined: absent there). */
  base: unknown;
  ours: unknown;
  theirs: unknown;
}

export interface MergeResult {
  /** The merged definition; at an unresolved conflict it holds the user's value. */
  merged: Record<string, unknown>;
  /** The conflicts no resolution settled. */
  conflicts: MergeConflict[];
  /** The conflicts settled by a resolution (by path). */
  resolved: string[];
}

type Json = Record<string, unknown>;
type Path = (string | number)[];
const ABSENT = undefined;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nodesOf = (d: unknown) => (isObject(d) && Array.isArray(d.nodes) ? (d.nodes as unknown[]).filter(isObject) : []);
const edgesOf = (d: unknown) => (isObject(d) && Array.isArray(d.edges) ? (d.edges as unknown[]).filter(isObject) : []);
const edgeKey = (e: Json) => `${String(e.source)}\u0000${String(e.target)}\u0000${String(e.sourceHandle ?? '')}`;

/** Keys in a stable order: theirs first (the template's layout of fields), then the ones only ours has. */
const keysOf = (...objs: unknown[]) => [...new Set(objs.flatMap((o) => (isObject(o) ? Object.keys(o) : [])))];

class Merger {
  readonly conflicts: MergeConflict[] = [];
  readonly resolved: string[] = [];
  constructor(private readonly resolutions: Readonly<Record<string, MergeSide>>) {}

  /**
   * Three-way merge of one value: a side that did not change takes the other's; both the same
   * is that value; both objects merge key by key; anything else is a conflict at `path`
   * (settled by a resolution for that path, else the user's value stays).
   */
  value(path: Path, base: unknown, ours: unknown, theirs: unknown, nodeId?: string): unknown {
    if (isDeepStrictEqual(ours, theirs)) return ours;
    if (isDeepStrictEqual(ours, base)) return theirs;
    if (isDeepStrictEqual(theirs, base)) return ours;
    if (isObject(ours) && isObject(theirs)) {
      const b = isObject(base) ? base : {};
      const out: Json = {};
      for (const k of keysOf(theirs, ours)) {
        const v = this.value([...path, k], b[k], ours[k], theirs[k], nodeId);
        if (v !== ABSENT) out[k] = v;
      }
      return out;
    }
    const at = formatPath(path);
    const side = this.resolutions[at];
    if (side) {
      this.resolved.push(at);
      return side === 'ours' ? ours : theirs;
    }
    this.conflicts.push({ path: at, ...(nodeId ? { nodeId } : {}), base, ours, theirs });
    return ours;
  }
}

/**
 * Three-way merge of workflow definitions for a template upgrade: `base` is the pinned template
 * version, `ours` the user's current workflow, `theirs` the new template version (both template
 * versions already bound to the user's secrets). Nodes merge by id, field by field (a node's
 * `position` is layout: the user's stays); a node one side removed and the other changed is a
 * conflict at `nodes.ID`; edges merge as sets (an edge one side added is kept, one either side
 * removed is dropped, as is any edge whose node is gone); settings merge field by field.
 * `resolutions` maps a conflict's path to the side it takes. Pure.
 */
export function mergeWorkflows(base: unknown, ours: unknown, theirs: unknown, resolutions: Readonly<Record<string, MergeSide>> = {}): MergeResult {
  const m = new Merger(resolutions);
  const byId = (d: unknown) => new Map(nodesOf(d).map((n) => [String(n.id), n]));
  const [b, o, t] = [byId(base), byId(ours), byId(theirs)];
  const nodes: Json[] = [];
  for (const id of [...new Set([...t.keys(), ...o.keys(), ...b.keys()])]) {
    const on = o.get(id);
    const tn = t.get(id);
    const merged = m.value(['nodes', id], b.get(id), on && tn ? { ...on, position: tn.position } : on, tn, id);
    if (!isObject(merged)) continue;
    // Layout is the user's: their position stays whatever the template did with it.
    nodes.push(on?.position !== undefined ? { ...merged, position: on.position } : merged);
  }
  const ids = new Set(nodes.map((n) => String(n.id)));
  const keyed = (d: unknown) => new Map(edgesOf(d).map((e) => [edgeKey(e), e]));
  const [be, oe, te] = [keyed(base), keyed(ours), keyed(theirs)];
  const edges = [...new Map([...te, ...oe]).entries()]
    .filter(([k]) => (oe.has(k) && te.has(k)) || !be.has(k))
    .map(([, e]) => e)
    .filter((e) => ids.has(String(e.source)) && ids.has(String(e.target)));
  const settingsOf = (d: unknown) => (isObject(d) && isObject(d.settings) ? d.settings : undefined);
  const settings = m.value(['settings'], settingsOf(base), settingsOf(ours), settingsOf(theirs));
  const merged: Json = { nodes, edges, ...(isObject(settings) && Object.keys(settings).length ? { settings } : {}) };
  return { merged, conflicts: m.conflicts, resolved: m.resolved };
}
