import { nodeTypes, type NodeType } from '@weft/workflow-schema';

/** The integration node types of the catalog (the gallery's integration filter), with their titles. */
export const INTEGRATIONS = (Object.keys(nodeTypes) as NodeType[]).filter((t) => nodeTypes[t].category === 'integration').map((t) => ({ type: t, title: nodeTypes[t].title }));

/** The title of an integration node type, or the type itself when the catalog does not know it. */
export const integrationTitle = (type: string) => INTEGRATIONS.find((i) => i.type === type)?.title ?? type;
