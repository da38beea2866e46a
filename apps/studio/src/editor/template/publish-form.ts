import type { PublishTemplateBody, SlotDescriptionsLike } from './types';

/** A URL name from a title: lowercase letters, digits and dashes, at most 64. */
export function slugify(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
}

/** Tags typed as "slack, Ops alerts" → ["slack", "ops-alerts"] (deduplicated, at most 10). */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => slugify(t).slice(0, 32)).filter(Boolean))].slice(0, 10);
}

/** The slot descriptions to send: only what the creator filled in (an empty description is left out, so it stays a warning). */
export function slotDescriptions(slots: Record<string, { description: string; kind: string }>): SlotDescriptionsLike {
  const out: SlotDescriptionsLike = {};
  for (const [name, s] of Object.entries(slots)) {
    out[name] = { ...(s.description.trim() ? { description: s.description.trim() } : {}), ...(s.kind.trim() ? { kind: s.kind.trim() } : {}) };
  }
  return out;
}

/** The body of POST /v1/templates from the dialog's fields. */
export function publishBody(f: { workflowVersionId: string; name: string; slug: string; summary: string; readme: string; tags: string; category: string; slots: Record<string, { description: string; kind: string }> }): PublishTemplateBody {
  return {
    workflowVersionId: f.workflowVersionId,
    slug: f.slug,
    name: f.name.trim(),
    summary: f.summary.trim(),
    ...(f.readme.trim() ? { readme: f.readme } : {}),
    tags: parseTags(f.tags),
    ...(f.category.trim() ? { category: slugify(f.category).slice(0, 32) } : {}),
    credentials: slotDescriptions(f.slots),
  };
}
