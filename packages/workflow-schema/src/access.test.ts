import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, permissionsOf, roleCan, roleCovers } from './access';

describe('The permission matrix', () => {
  it('grants each role everything the role below it grants, and something more', () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = new Set(ROLE_PERMISSIONS[ROLES[i - 1]!]);
      const upper = new Set(ROLE_PERMISSIONS[ROLES[i]!]);
      expect([...lower].every((p) => upper.has(p))).toBe(true);
      expect(upper.size).toBeGreaterThan(lower.size);
    }
  });

  it('follows the issue: viewer reads, operator runs, editor publishes, admin manages, owner deletes the org', () => {
    expect(permissionsOf('viewer').every((p) => p.endsWith(':read'))).toBe(true);
    expect(roleCan('operator', 'runs:write') && !roleCan('operator', 'workflows:write')).toBe(true);
    expect(roleCan('editor', 'workflows:write') && roleCan('editor', 'secrets:use') && !roleCan('editor', 'secrets:write')).toBe(true);
    for (const p of ['secrets:write', 'keys:manage', 'members:manage', 'webhooks:manage', 'schedules:manage', 'audit:read'] as const) expect(roleCan('admin', p)).toBe(true);
    expect(roleCan('admin', 'org:delete')).toBe(false);
    // Owners hold every org permission; `platform:admin` belongs to no role (platform admins only).
    expect(permissionsOf('owner')).toEqual(Object.keys(PERMISSIONS).filter((p) => p !== 'platform:admin'));
    for (const role of ['viewer', 'operator', 'editor', 'admin', 'owner']) expect(roleCan(role, 'platform:admin')).toBe(false);
  });

  it('never lets an operator or viewer use secrets in a workflow', () => {
    expect(roleCan('operator', 'secrets:use')).toBe(false);
    expect(roleCan('viewer', 'secrets:use')).toBe(false);
  });

  it('grants nothing to a role that is not in the table', () => {
    expect(roleCan('constructor', 'catalog:read')).toBe(false);
    expect(permissionsOf('constructor')).toEqual([]);
    expect(roleCovers('constructor', 'viewer')).toBe(false);
    expect(roleCovers('owner', 'constructor')).toBe(false);
  });

  it('says which roles a holder may hand out: its own and those below, never one above', () => {
    expect(roleCovers('admin', 'admin')).toBe(true);
    expect(roleCovers('admin', 'viewer')).toBe(true);
    expect(roleCovers('admin', 'owner')).toBe(false);
    expect(roleCovers('editor', 'admin')).toBe(false);
  });
});
