import pg from 'pg';
import { currentScope, type DbScope, type DefaultScope } from './scope';

export const APP_ROLE = 'weft_app';
export const MAINTENANCE_ROLE = 'weft_maintenance';

const kState = Symbol('weft.dbScope');
type ScopedClient = pg.PoolClient & { [kState]?: string };

// One statement, on checkout, only when the connection acted for someone else before: a service
// acting for one org (or always as maintenance) pays it once per connection, not per query.
export const SCOPE_STATEMENT = `SELECT set_config('role', $1, false), set_config('weft.org_id', $2, false)`;

/** The role and org a scope runs as; `none` is the app role with no org: it sees no org-owned row. */
function settingsOf(scope: DbScope | undefined, fallback: DefaultScope): [role: string, orgId: string] {
  if (scope?.kind === 'org') return [APP_ROLE, scope.orgId];
  if (scope?.kind === 'as-is') return [APP_ROLE, ''];
  if (scope?.kind === 'maintenance' || fallback === 'maintenance') return [MAINTENANCE_ROLE, ''];
  return [APP_ROLE, ''];
}

/**
 * A pg.Pool whose connections act as the caller's scope (see scope.ts): on checkout, the
 * connection switches to `weft_app` with the scope's org, or to `weft_maintenance`. Every query
 * goes through checkout (pool.query too, and Prisma's adapter), so no path forgets it.
 * The setting is session-level and remembered on the connection; transactions and statements
 * run as they are (no extra round trip unless the scope changed since the connection's last use).
 */
export class ScopedPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly fallback: DefaultScope,
  ) {
    super(config);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    const scoped = this.checkout();
    if (!callback) return scoped;
    scoped.then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error | undefined)),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }

  private async checkout(): Promise<pg.PoolClient> {
    const scope = currentScope();
    const client = (await super.connect()) as ScopedClient;
    // As it is (`asIs`): whatever it acted as last; a fresh connection as nobody.
    if (scope?.kind === 'as-is' && client[kState] !== undefined) return client;
    const settings = settingsOf(scope, this.fallback);
    const key = settings.join('/');
    if (client[kState] === key) return client;
    try {
      await client.query(SCOPE_STATEMENT, settings);
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    client[kState] = key;
    return client;
  }
}
