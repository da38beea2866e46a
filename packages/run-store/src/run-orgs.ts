import { runOrgOf, withOrg } from '@weft/db';
import type { Pool } from 'pg';

/**
 * The org of each run, for workers whose jobs carry ids only (a job never says which org it acts
 * for, so nothing in Redis can widen a worker's access): the org is read from the run's row by
 * `weft_run_org` (SECURITY DEFINER: the one statement of a job made before its org is known, on a
 * connection as it is, `asIs`, so it costs no switch of role or org), and remembered:
 * a run's org never changes, so each process reads it once per run. Bounded (oldest first out).
 */
export class RunOrgs {
  private readonly orgs = new Map<string, string>();

  constructor(
    private readonly pool: Pool,
    private readonly max = 20_000,
  ) {}

  /** The org of run `runId`; null when there is no such run (removed by retention: its jobs have nothing to do). */
  async orgOf(runId: string): Promise<string | null> {
    const known = this.orgs.get(runId);
    if (known) return known;
    const org = await runOrgOf(this.pool, runId);
    if (org) this.remember(runId, org);
    return org;
  }

  /**
   * Runs `fn` acting for run `runId`'s org only (`withOrg`: row-level security binds every
   * statement it starts to that org); `ifGone` when the run does not exist.
   */
  async forRun<T>(runId: string, fn: () => Promise<T>, ifGone: () => T | Promise<T>): Promise<T> {
    const org = await this.orgOf(runId);
    return org ? withOrg(org, fn) : ifGone();
  }

  private remember(runId: string, org: string) {
    if (this.orgs.size >= this.max) this.orgs.delete(this.orgs.keys().next().value!);
    this.orgs.set(runId, org);
  }
}
