/** One node of a definition as the template checks see it (for_each bodies included). */
export interface TemplateNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every node of a definition, the nodes of for_each bodies after their loop (depth first). */
export function templateNodes(definition: unknown): TemplateNode[] {
  const out: TemplateNode[] = [];
  const visit = (graph: unknown) => {
    const nodes = isRecord(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
    for (const n of nodes) {
      if (!isRecord(n) || typeof n.id !== 'string' || typeof n.type !== 'string') continue;
      const config = isRecord(n.config) ? n.config : {};
      out.push({ id: n.id, type: n.type, config });
      if (isRecord(config.body)) visit(config.body);
    }
  };
  visit(definition);
  return out;
}

/** Every string inside a config value with its path (`headers.authorization`, `args[0]`); a for_each body is left to its own nodes. */
export function configStrings(config: Record<string, unknown>): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') out.push({ path, text: v });
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  for (const [k, v] of Object.entries(config)) if (k !== 'body') visit(v, k);
  return out;
}
