/**
 * `@weft/workflow-schema/kinds`: what each node type is (its kind and the kind's traits) without
 * zod, for code that runs in a browser page whose CSP forbids eval (the dashboard). Everything here
 * is also exported by the package's main entry.
 */
export { NODE_KINDS, NODE_KIND_NAMES } from './nodes/kinds';
export type { NodeKind, KindTraits } from './nodes/kinds';
export { NODE_TYPE_KINDS, nodeKind, kindHas, isOfKind, typesOfKind, typesWith, hasBody, isResumable, reusesOutput } from './nodes/type-kinds';
export type { KindedNodeType, NodeTypeOfKind } from './nodes/type-kinds';
