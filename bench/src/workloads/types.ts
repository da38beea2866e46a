import type { BenchEnv } from '../env';
import type { BenchInfra } from '../infra';
import type { BenchPlatform } from '../platform';
import type { Row, WorkloadReport } from '../report';

export interface WorkloadContext {
  env: BenchEnv;
  infra: BenchInfra;
  /**
   * Starts the services (defaults plus `overrides`; one executor process unless `opts.executors`),
   * runs `fn`, stops them. One platform at a time: they share the database and the queue prefix.
   */
  withPlatform<T>(overrides: Record<string, string>, fn: (platform: BenchPlatform) => Promise<T>, opts?: { executors?: number }): Promise<T>;
  log(message: string): void;
}

/** A benchmark: measures Weft and its baseline in the same run and reports rows of the table. */
export interface Workload {
  name: string;
  description: string;
  /** Runs only when named (`npm run bench -- <name>`): too long for every run (e.g. runs10m seeds 10M rows). */
  onlyWhenNamed?: boolean;
  run(ctx: WorkloadContext): Promise<{ rows: Row[] } & Omit<WorkloadReport, 'description'>>;
}
