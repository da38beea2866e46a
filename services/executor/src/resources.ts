import type { Keyring } from '@weft/crypto';
import type { Limits } from '@weft/engine';
import type { Logger } from '@weft/logger';
import type { Queues } from '@weft/queue';
import type { SettleResources } from '@weft/run-core';
import type { GraphCache, OutboxDeletes, RunBus } from '@weft/run-store';
import type { Pool } from 'pg';
import type { ConnectionDeps } from './connections/step-connection';
import type { StepLeases } from './leases';
import type { Processors } from './processors';

export interface ExecutorResources {
  pool: Pool;
  queues: Queues;
  logger: Logger;
  processors: Processors;
  graphs: GraphCache;
  bus?: RunBus;
  /** Batches the DELETE of published outbox rows; without it each completion deletes its own. */
  outboxDeletes?: OutboxDeletes;
  /** Abort controllers of the steps running in this process, for cancel notices. */
  running: Map<string, AbortController>;
  defaultTimeoutMs: number;
  /** The leases of the running steps, renewed while they run (see leases.ts). */
  leases: StepLeases;
  /** Key-encryption keys for `{{ secrets.NAME }}`; without them steps that use secrets fail. */
  keyring?: Keyring | undefined;
  /** OAuth connections (`connection: "name"` in a node's config): their tokens, refreshed by this executor. */
  connections?: ConnectionDeps;
  /** Budget of each step's templates and size of the outputs it stores (default: DEFAULT_LIMITS). */
  limits?: Limits;
  /**
   * Settles steps where they ran (run-core `settleInPlace`): the run's transition is written with
   * the completion, and with `eager` the next executor step it starts runs here at once. Absent:
   * each completion hands its step to the orchestrator by a step-settled job.
   */
  settleInPlace?: SettleResources & { eager: boolean };
  /** Set once the executor stops: no step starts eagerly any more (they go out as jobs). */
  stopping?: { now: boolean };
}

