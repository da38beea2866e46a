import type { Pool, PoolClient, QueryResultRow } from 'pg';

export type Queryable = Pool | PoolClient;

export async function rows<T extends QueryResultRow>(q: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await q.query<T>(text, values)).rows;
}

/** A UTC day `YYYY-MM-DD` as a SQL expression for its first instant (`$n` a date parameter). */
export const dayStart = (param: string) => `(${param}::date::timestamp AT TIME ZONE 'UTC')`;
/** The first instant of the UTC day after `$n`. */
export const dayEnd = (param: string) => `((${param}::date + 1)::timestamp AT TIME ZONE 'UTC')`;

/** `YYYY-MM-DD` of a time, in UTC. */
export const utcDay = (t: Date): string => t.toISOString().slice(0, 10);

/** The first instant of the UTC month of `t`, and of the next month. */
export function utcMonth(t: Date): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1)), end: new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)) };
}
