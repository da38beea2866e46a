import { z } from 'zod';

/**
 * The permission vocabulary, the roles and the role → permissions matrix of issue 14: data, in
 * this one file. The gateway enforces it on every route (a route declares the one permission it
 * needs), the API-key routes use it to refuse a key with more rights than its creator, and the
 * README's table is this matrix. A role that is not in the table grants nothing (fail closed).
 */
export const PERMISSIONS = {
  'org:read': 'see who you are: your org, your role and its permissions (GET /v1/me)',
  'catalog:read': 'read the node and function catalogs',
  'workflows:read': 'list and read workflows and their versions; validate a definition',
  'runs:read': 'list and read runs and their events; watch a run live',
  'secrets:read': "list and read secrets' metadata (never a value)",
  'runs:write': 'start, cancel, approve or reject, and retry runs',
  'workflows:write': 'create workflows, save drafts, publish versions',
  'secrets:use': 'publish a workflow whose templates read secrets ({{ secrets.NAME }})',
  'secrets:write': 'create, change and delete secrets',
  'keys:manage': 'create, list and revoke API keys (never with more rights than your own)',
  'members:manage': 'invite members, change their roles, remove them (never to a role with more rights than your own)',
  'webhooks:manage': "create, change, rotate the secrets of and delete a workflow's webhooks; replay deliveries (reading them needs workflows:read)",
  'schedules:manage': "create, change and delete a workflow's schedules (reading them needs workflows:read)",
  'audit:read': "read the org's audit log",
  'templates:publish': 'publish workflow versions as templates, add template versions, submit them for review',
  'templates:moderate': 'approve, reject, publish and unpublish templates: owners of the platform org (WEFT_PLATFORM_ORG); platform admins (WEFT_PLATFORM_ADMINS) whatever their role',
  'org:manage': "change the org's settings (PATCH /v1/orgs/:id/settings: data retention)",
  'org:delete': 'delete the org (DELETE /v1/orgs/:id, confirmed by its slug)',
  'platform:admin': 'set feature flags and plans of every org: platform admins only (WEFT_PLATFORM_ADMINS, signed in); no org role grants it',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** The roles, from fewest rights to most: each row below grants everything the previous one does. */
export const ROLES = ['viewer', 'operator', 'editor', 'admin', 'owner'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const VIEWER = ['org:read', 'catalog:read', 'workflows:read', 'runs:read', 'secrets:read'] as const satisfies readonly Permission[];
const OPERATOR = [...VIEWER, 'runs:write'] as const satisfies readonly Permission[];
const EDITOR = [...OPERATOR, 'workflows:write', 'secrets:use', 'templates:publish'] as const satisfies readonly Permission[];
const ADMIN = [...EDITOR, 'secrets:write', 'keys:manage', 'members:manage', 'webhooks:manage', 'schedules:manage', 'audit:read', 'org:manage'] as const satisfies readonly Permission[];
const OWNER = [...ADMIN, 'org:delete', 'templates:moderate'] as const satisfies readonly Permission[];

/**
 * What each role may do: viewer reads; operator also runs, approves, cancels and retries; editor
 * also creates, edits and publishes workflows (including ones that use secrets); admin also
 * manages secrets, keys, members, webhooks and schedules and reads the audit log; owner also
 * deletes the org, and (in the platform org only) moderates templates.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  editor: EDITOR,
  admin: ADMIN,
  owner: OWNER,
};

const GRANTS = new Map<string, ReadonlySet<Permission>>(Object.entries(ROLE_PERMISSIONS).map(([role, perms]) => [role, new Set(perms)]));

/** Whether `role` grants `permission`; an unknown role grants nothing. */
export function roleCan(role: string, permission: Permission): boolean {
  return GRANTS.get(role)?.has(permission) ?? false;
}

/** The permissions `role` grants (none for an unknown role), in the vocabulary's order. */
export function permissionsOf(role: string): Permission[] {
  const granted = GRANTS.get(role);
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => granted?.has(p));
}

/** Whether `holder` has every permission of `role`: a key or member of `role` adds no right `holder` lacks. */
export function roleCovers(holder: string, role: string): boolean {
  const held = GRANTS.get(holder);
  const wanted = GRANTS.get(role);
  return !!held && !!wanted && [...wanted].every((p) => held.has(p));
}
