import type { Budget, RunContext } from '@weft/engine';
import type { Logger } from '@weft/logger';
import type { NodeConfig, NodeTypeOfKind } from '@weft/workflow-schema';
import type { StepLogWrite } from '../step-log';

export interface StepContext<T extends ExecutableNodeType = ExecutableNodeType> {
  /** The node's config as its type's schema parsed it at publish (defaults applied, templates not yet rendered). */
  config: NodeConfig<T>;
  nodeType: T;
  /** The run context: inputs, upstream outputs, run ids. */
  context: RunContext;
  /** What the step's templates may spend: pass it to every renderTemplate of the step. */
  budget: Budget;
  /** Fired on timeout or cancel; processors pass it to everything that waits. */
  signal: AbortSignal;
  /** The connection the node names (`connection`), with a fresh access token: never put it into an output or log. */
  connection?: { accessToken: string };
  /** `userId`: the signed-in user who started the run (null for a key, a webhook or a schedule). */
  ids: { runId: string; stepId: string; nodeId: string; attempt: number; orgId: string; userId: string | null };
  logger: Logger;
  /** The step's own log (run_logs: shown with the step, masked, capped): what a user should read about this attempt. */
  stepLog?: StepLogWrite;
  /** Progress notices, sent to the live run view (`step.progress`). */
  progress?: (data: Record<string, unknown>) => void;
  /** Metered usage, written with the step's result (e.g. LLM tokens). */
  recordUsage?: (usage: UsageRecord) => void;
}

export interface UsageRecord {
  /** llm_tokens_in, llm_tokens_out, http_bytes (docs/operating/usage.md) */
  kind: string;
  quantity: number;
  data?: Record<string, unknown>;
}

/** Runs one step of a node of type T (or of any of the types T names), its config typed by the catalog. */
export type NodeProcessor<T extends ExecutableNodeType = ExecutableNodeType> = (step: StepContext<T>) => Promise<unknown>;

/** One processor per type an executor runs: a type without one, or one for a type it never runs, fails the typecheck. */
export type Processors = { [T in ExecutableNodeType]: NodeProcessor<T> };

/**
 * The node types an executor runs, from the catalog's kinds: executor steps, and pure (inline)
 * steps, which the orchestrator evaluates itself unless inline steps are turned off.
 */
export type ExecutableNodeType = NodeTypeOfKind<'executor' | 'inline'>;
