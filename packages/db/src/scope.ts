import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who the database connection acts as (row-level security, see the migration
 * `20261212000300_row_level_security`): one org through the `weft_app` role, or every org
 * through the `weft_maintenance` role. A scope set with `withOrg`/`asMaintenance` covers
 * every query started inside the callback, through `Db.pool` and `Db.prisma` alike.
 */
export type DbScope = { readonly kind: 'org'; readonly orgId: string } | { readonly kind: 'maintenance' } | { readonly kind: 'as-is' };

/** The scope of a pool's queries made outside `withOrg`/`asMaintenance`. */
export type DefaultScope = 'none' | 'maintenance';

const storage = new AsyncLocalStorage<DbScope>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAINTENANCE: DbScope = Object.freeze({ kind: 'maintenance' });

/**
 * Runs `fn` with every query it starts acting for org `orgId` only: rows of other orgs are
 * invisible and cannot be written, whatever the SQL says. Await the queries INSIDE `fn`
 * (a Prisma query starts when it is awaited).
 */
export function withOrg<T>(orgId: string, fn: () => T): T {
  if (!UUID.test(orgId)) throw new TypeError(`withOrg: "${orgId}" is not an org id`);
  return storage.run({ kind: 'org', orgId }, fn);
}

/** Runs `fn` with every query it starts acting across orgs (the documented maintenance role). */
export function asMaintenance<T>(fn: () => T): T {
  return storage.run(MAINTENANCE, fn);
}

const AS_IS: DbScope = Object.freeze({ kind: 'as-is' });

/**
 * Runs `fn` with its queries on a connection as it is, acting as whatever it last acted as (a
 * fresh one as nobody: `weft_app` without an org): no statement to switch. ONLY for statements
 * whose answer does not depend on who asks: the SECURITY DEFINER lookup `runOrgOf` (run-org.ts),
 * asked before the org to act for is known. Not exported from the package.
 */
export function asIs<T>(fn: () => T): T {
  return storage.run(AS_IS, fn);
}

/** The scope set by the innermost `withOrg`/`asMaintenance` around the caller, if any. */
export function currentScope(): DbScope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` in `scope` as captured earlier with `currentScope()` (undefined: outside any scope,
 * the pool's default). For work done later on behalf of a caller, e.g. a batch of several
 * callers' inputs that all share the scope it runs in.
 */
export function inScope<T>(scope: DbScope | undefined, fn: () => T): T {
  return scope ? storage.run(scope, fn) : storage.exit(fn);
}

/** A key naming a scope (`org:<id>`, `maintenance`, or `default` outside any): equal keys act alike. */
export function scopeKey(scope: DbScope | undefined): string {
  if (!scope) return 'default';
  return scope.kind === 'org' ? `org:${scope.orgId}` : scope.kind;
}
