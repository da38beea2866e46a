import type { Pool, PoolClient, QueryResultRow } from 'pg';

export type Queryable = Pool | PoolClient;

export async function rows<T extends QueryResultRow>(q: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await q.query<T>(text, values)).rows;
}

/** A UTC day `YYYY-MM-DD` as a SQL expression for its first instant (`$n` a date parameter). */
export const dayStart = (param: string) => `(${param}::date::timestamp AT TIME ZONE 'UTC')`;
/** The first instant of the UTC day after `$n`. */
export const dayEnd = (param: string) => `((${param}::date + 1)::timestamp AT TIME ZONE 'UTC')`;

// A usage month is a UTC calendar month: one definition, shared with GET /v1/usage and the dashboard.
export { utcDay, utcMonth } from '@weft/workflow-schema';
