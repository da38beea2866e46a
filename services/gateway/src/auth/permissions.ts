/**
 * The permission vocabulary and the role → permissions matrix: data, in one place. A route declares
 * the one permission it needs (`config: { access: { permission } }`); the access check looks the
 * caller's role up here. A role that is not in the table has no permission at all (fail closed).
 * The accounts work (issue 14) adds permissions (keys, members, webhooks, schedules, org) and rows.
 */
export const PERMISSIONS = {
  'catalog:read': 'read the node and function catalogs',
  'workflows:read': 'list and read workflows and their versions; validate a definition',
  'workflows:write': 'create workflows, save drafts, publish versions',
  'runs:read': 'list and read runs and their events; watch a run live',
  'runs:write': 'start, cancel, approve or reject, and retry runs',
  'secrets:read': "list and read secrets' metadata (never a value)",
  'secrets:write': 'create, change and delete secrets',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const VIEWER = ['catalog:read', 'workflows:read', 'runs:read', 'secrets:read'] as const satisfies readonly Permission[];
const OPERATOR = [...VIEWER, 'runs:write'] as const satisfies readonly Permission[];
const EDITOR = [...OPERATOR, 'workflows:write'] as const satisfies readonly Permission[];
const ADMIN = [...EDITOR, 'secrets:write'] as const satisfies readonly Permission[];

/**
 * What each role may do. Today's keys are `admin` (the bootstrap key); the other rows are the
 * matrix of issue 14 (viewer reads; operator also runs; editor also edits and publishes; admin
 * also manages secrets; owner also owns the org), ready for the keys and members that use them.
 */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  editor: EDITOR,
  admin: ADMIN,
  owner: ADMIN,
};

const GRANTS = new Map(Object.entries(ROLE_PERMISSIONS).map(([role, perms]) => [role, new Set<Permission>(perms)]));

/** Whether `role` grants `permission`; an unknown role grants nothing. */
export function roleCan(role: string, permission: Permission): boolean {
  return GRANTS.get(role)?.has(permission) ?? false;
}
