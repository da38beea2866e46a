import { NODE_KINDS, type KindTraits, type NodeKind } from './kinds';

/**
 * Each node type's kind (kinds.ts), the one place that says it. Free of zod, so the browser apps
 * import it as `@weft/workflow-schema/kinds` (the dashboard's page must not load zod, whose eval
 * probe its CSP forbids); the catalog (catalog.ts) takes each entry's kind from here, and a
 * catalog entry without a kind here fails the typecheck. Same order as the catalog.
 */
export const NODE_TYPE_KINDS = {
  trigger: 'inline',
  transform: 'inline',
  http_request: 'executor',
  branch: 'inline',
  delay: 'timer',
  wait_for_approval: 'waiting',
  for_each: 'loop',
  sub_workflow: 'child',
  function: 'executor',
  terminate: 'terminal',
  llm_completion: 'executor',
  slack_message: 'executor',
  google_sheets_append: 'executor',
  send_email: 'executor',
  webhook_out: 'executor',
} as const satisfies Record<string, NodeKind>;

/** A node type the kind table knows (the same set as the catalog's `NodeType`). */
export type KindedNodeType = keyof typeof NODE_TYPE_KINDS;
/** The node types of the given kinds, as a type: `NodeTypeOfKind<'executor'>`. */
export type NodeTypeOfKind<K extends NodeKind> = { [T in KindedNodeType]: (typeof NODE_TYPE_KINDS)[T] extends K ? T : never }[KindedNodeType];

const KINDED = Object.keys(NODE_TYPE_KINDS) as KindedNodeType[];
const known = (type: string): type is KindedNodeType => Object.hasOwn(NODE_TYPE_KINDS, type);

/** The kind of a node type; undefined for a type the catalog does not know. */
export function nodeKind(type: string): NodeKind | undefined {
  return known(type) ? NODE_TYPE_KINDS[type] : undefined;
}

/** Whether a node type's kind has a trait (kinds.ts): `kindHas('http_request', 'secrets')`; false for an unknown type. */
export function kindHas(type: string, trait: keyof KindTraits): boolean {
  const kind = nodeKind(type);
  return kind !== undefined && NODE_KINDS[kind][trait];
}

/** Whether a node type is of one of the given kinds (narrows the type). */
export function isOfKind<K extends NodeKind>(type: string, ...kinds: K[]): type is NodeTypeOfKind<K> {
  const kind = nodeKind(type);
  return kind !== undefined && (kinds as NodeKind[]).includes(kind);
}

/** The node types of the given kinds, in catalog order (a set of strings, so that any type name can be looked up). */
export function typesOfKind(...kinds: NodeKind[]): ReadonlySet<string> {
  return new Set(KINDED.filter((t) => kinds.includes(NODE_TYPE_KINDS[t])));
}

/** The node types whose kind has a trait, in catalog order. */
export function typesWith(trait: keyof KindTraits): ReadonlySet<string> {
  return new Set(KINDED.filter((t) => NODE_KINDS[NODE_TYPE_KINDS[t]][trait]));
}

/** Whether a node's config holds an inline body graph drawn inside it (a for_each): the `body` trait. */
export const hasBody = (type: string): boolean => kindHas(type, 'body');

/** Whether a node's waiting step is resumed by a person (approve/reject through the API): the `resumable` trait. */
export const isResumable = (type: string): boolean => kindHas(type, 'resumable');

/** Whether a replay reuses a node's output instead of running it again: the `reusable` trait (the trigger aside, whose output is the run's inputs). */
export const reusesOutput = (type: string): boolean => kindHas(type, 'reusable');
