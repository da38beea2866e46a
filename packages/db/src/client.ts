import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

export interface Db {
  prisma: PrismaClient;
  /** The same pool Prisma queries through: use it for hot-path SQL. */
  pool: pg.Pool;
  /** Disconnects Prisma and ends the pool. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  url: string;
  /** Most connections the pool opens (pg's default is 10). */
  poolMax?: number;
}

/** One pg.Pool shared by Prisma (through @prisma/adapter-pg) and by raw SQL. */
export function createDb({ url, poolMax }: CreateDbOptions): Db {
  const pool = new pg.Pool({ connectionString: url, ...(poolMax === undefined ? {} : { max: poolMax }) });
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
    close() {
      closed ??= prisma.$disconnect().then(() => pool.end());
      return closed;
    },
  };
}

