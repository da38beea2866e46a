import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import type { DefaultScope } from './scope';
import { APP_ROLE, MAINTENANCE_ROLE, ScopedPool } from './scoped-pool';

export interface Db {
  prisma: PrismaClient;
  /** The same pool Prisma queries through: use it for hot-path SQL. */
  pool: pg.Pool;
  /**
   * Whether row-level security applies to this Db's queries: its connections act as `weft_app`
   * (one org, `withOrg`) or `weft_maintenance` (`asMaintenance`, or outside any scope when the
   * default is `maintenance`). False: they act as the login role (the tables' owner), as before.
   */
  readonly rls: boolean;
  /** Disconnects Prisma and ends the pool. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  url: string;
  /** Most connections the pool opens (pg's default is 10). */
  poolMax?: number;
  /**
   * Row-level security (WEFT_RLS). `{ default }` is what queries outside `withOrg`/`asMaintenance`
   * act as: `none` sees no org-owned row (fail closed), `maintenance` sees every org. Omitted or
   * false: off, the login role runs every query. Call `checkRowLevelSecurity` at start.
   */
  rls?: false | { default: DefaultScope };
}

/** One pg.Pool shared by Prisma (through @prisma/adapter-pg) and by raw SQL. */
export function createDb({ url, poolMax, rls }: CreateDbOptions): Db {
  const config: pg.PoolConfig = { connectionString: url, ...(poolMax === undefined ? {} : { max: poolMax }) };
  const pool = rls ? new ScopedPool(config, rls.default) : new pg.Pool(config);
  // An idle client that loses its connection (server restart) emits 'error' on the pool;
  // unhandled, that would crash the process. The next checkout opens a fresh connection.
  pool.on('error', () => undefined);
  // A checked-out client has no pool listener: when the server goes away while it sits between
  // two queries of a transaction (e.g. the outbox relay waiting on Redis), its 'error' event would
  // crash the process. Its next query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    pool,
    rls: Boolean(rls),
    close() {
      closed ??= prisma.$disconnect().then(() => pool.end());
      return closed;
    },
  };
}

/**
 * Why row-level security cannot be on for the login role of `url`, or null when it can: the
 * migration's roles must exist and the login role must be able to `SET ROLE` to them.
 */
export async function rowLevelSecurityProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; usable: boolean | null }>(
      `SELECT r.role, CASE WHEN p.oid IS NULL THEN NULL
                           ELSE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                                OR pg_has_role(current_user, p.oid, 'MEMBER') END AS usable
         FROM unnest($1::text[]) AS r(role) LEFT JOIN pg_roles p ON p.rolname = r.role`,
      [[APP_ROLE, MAINTENANCE_ROLE]],
    );
    const missing = rows.filter((row) => row.usable === null).map((row) => row.role);
    if (missing.length) {
      return `role(s) ${missing.join(', ')} do not exist: run the migrations as a role with CREATEROLE, or have an administrator run CREATE ROLE <name> NOLOGIN and GRANT <name> TO ${client.user ?? 'the login role'}`;
    }
    const denied = rows.filter((row) => !row.usable).map((row) => row.role);
    if (denied.length) return `the login role may not SET ROLE to ${denied.join(', ')}: GRANT ${denied.join(', ')} TO ${client.user ?? 'it'}`;
    const policies = await client.query(`SELECT 1 FROM pg_policies WHERE policyname = 'weft_maintenance_all' LIMIT 1`);
    if (!policies.rowCount) return 'the row-level security policies are missing (the roles were created after the migration ran): re-create them as in migration 20261212000300_row_level_security';
    return null;
  } finally {
    await client.end();
  }
}

export interface OpenDbOptions extends Omit<CreateDbOptions, 'rls'> {
  /** WEFT_RLS: true asks for row-level security; it stays off (with `warn` called) when the database cannot give it. */
  rls: boolean;
  /** What queries outside `withOrg`/`asMaintenance` act as (see CreateDbOptions.rls). */
  defaultScope: DefaultScope;
  /** Told why row-level security is off although asked for. */
  warn(message: string): void;
}

/** A service's Db: row-level security on when asked for and possible, else off with a warning. */
export async function openDb({ rls, defaultScope, warn, ...options }: OpenDbOptions): Promise<Db> {
  if (!rls) return createDb(options);
  const problem = await rowLevelSecurityProblem(options.url);
  if (!problem) return createDb({ ...options, rls: { default: defaultScope } });
  warn(`row-level security is OFF (WEFT_RLS=on asked for it): ${problem}. Set WEFT_RLS=off to silence this.`);
  return createDb(options);
}

/** The settings every service opens its Db with (their env.ts: DATABASE_URL, WEFT_DB_POOL_MAX, WEFT_RLS). */
export interface ServiceDbEnv {
  DATABASE_URL: string;
  WEFT_DB_POOL_MAX: number;
  WEFT_RLS: boolean;
}

/**
 * A service's Db. Outside `withOrg` its queries act as the maintenance role (cross-org maintenance:
 * relay, sweeper, scheduler…); the gateway narrows each authenticated request to its org, the
 * workers each job to its run's org (`RunOrgs`), the webhooks ingress each delivery to its hook's.
 */
export function openServiceDb(env: ServiceDbEnv, logger: { warn(message: string): void }): Promise<Db> {
  return openDb({ url: env.DATABASE_URL, poolMax: env.WEFT_DB_POOL_MAX, rls: env.WEFT_RLS, defaultScope: 'maintenance', warn: (m) => logger.warn(m) });
}
