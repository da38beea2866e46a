import { templateSecretUses } from '@weft/engine';
import { isNodeType, nodeTypes, type Issue } from '@weft/workflow-schema';
import { connectionKind, connectionUses } from './connection-slots';
import { credentialLiterals } from './credential-literals';
import { templateNodes } from './nodes';

/** What a creator says about one credential slot (POST /v1/templates `credentials`). */
export interface SlotDescription {
  description?: string | undefined;
  kind?: string | undefined;
}

/** A named credential slot: a secret the workflow reads, mapped by each installer to one of theirs. */
export interface CredentialSlot {
  name: string;
  description: string;
  kind: string;
}

/** The pre-publish report: refusals (`errors`), what the template page shows, and warnings for the creator. */
export interface TemplateAnalysis {
  errors: Issue[];
  warnings: Issue[];
  credentials: CredentialSlot[];
  domains: string[];
  integrations: string[];
}

/** The host of an http_request URL whose scheme and host are literal (`https://api.x.com/{{ input.path }}` counts). */
export function literalHost(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /^https?:\/\/([^/?#{}\s]+)(?:[/?#]|$)/i.exec(url);
  if (!m) return undefined;
  try {
    return new URL(`http://${m[1]}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The pure pre-publish checks of a template's definition: credential-looking literals and
 * references to the creator's own workflows are refused; every secret the workflow reads becomes
 * a slot (described by `described`, warned about when not); outbound domains of literal
 * http_request URLs and the integration node types are listed. `previous` (the last version's
 * descriptions) describes a slot `described` does not; a slot it names that is no longer read is dropped.
 */
export function analyzeTemplate(definition: unknown, described: Record<string, SlotDescription> = {}, previous: Record<string, SlotDescription> = {}): TemplateAnalysis {
  const errors = credentialLiterals(definition);
  const warnings: Issue[] = [];
  const domains = new Set<string>();
  const integrations = new Set<string>();
  for (const node of templateNodes(definition)) {
    if (node.type === 'sub_workflow') {
      errors.push({ nodeId: node.id, path: 'config.workflowId', code: 'workflow_reference', message: "a template cannot call another workflow of the creator's org" });
    }
    if (node.type === 'http_request') {
      const host = literalHost(node.config.url);
      if (host) domains.add(host);
      else warnings.push({ nodeId: node.id, path: 'config.url', code: 'dynamic_domain', message: 'the host of this URL is computed at run time: it is not listed among the outbound domains' });
    } else if (isNodeType(node.type) && nodeTypes[node.type].category === 'integration') {
      integrations.add(node.type);
    }
  }
  const settings = (definition as { settings?: { errorWorkflowId?: unknown } } | null)?.settings;
  if (settings?.errorWorkflowId !== undefined) {
    errors.push({ path: 'settings.errorWorkflowId', code: 'workflow_reference', message: "a template cannot name an error workflow of the creator's org" });
  }
  const used = [...new Set(templateSecretUses(definition).flatMap((u) => (u.name && !u.problem ? [u.name] : [])))].sort();
  const credentials = used.map((name) => {
    const d = Object.hasOwn(described, name) ? described[name] : Object.hasOwn(previous, name) ? previous[name] : undefined;
    if (!d) warnings.push({ path: `credentials.${name}`, code: 'undescribed_secret', message: `the workflow reads secrets.${name}: describe it so installers know what to map` });
    else if (!d.description?.trim()) warnings.push({ path: `credentials.${name}.description`, code: 'missing_description', message: `credential slot ${name} has no description` });
    return { name, description: d?.description?.trim() ?? '', kind: d?.kind ?? 'secret' };
  });
  // A connection a node names is a slot too, requiring a connection of that node's provider.
  const connections = new Map(connectionUses(definition).map((u) => [u.name, u.provider]));
  for (const [name, provider] of [...connections].sort(([a], [b]) => a.localeCompare(b))) {
    if (used.includes(name)) {
      errors.push({ path: `credentials.${name}`, code: 'ambiguous_credential', message: `${name} is both a secret and a connection: rename one` });
      continue;
    }
    const d = Object.hasOwn(described, name) ? described[name] : Object.hasOwn(previous, name) ? previous[name] : undefined;
    if (!d?.description?.trim()) warnings.push({ path: `credentials.${name}.description`, code: 'missing_description', message: `connection slot ${name} has no description` });
    credentials.push({ name, description: d?.description?.trim() ?? '', kind: connectionKind(provider) });
  }
  for (const name of Object.keys(described)) {
    if (!used.includes(name) && !connections.has(name)) errors.push({ path: `body.credentials.${name}`, code: 'unused_credential', message: `the workflow never reads secrets.${name}` });
  }
  return { errors, warnings, credentials, domains: [...domains].sort(), integrations: [...integrations].sort() };
}
