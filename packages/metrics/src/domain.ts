import { Counter, Histogram, type Metric } from 'prom-client';

/**
 * The platform's own metrics: one instance per process, incremented where the thing happens and
 * exposed by every registry `createRegistry` makes (a process that runs several services, as the
 * tests do, shows the same counts on each). Label values come from closed sets (statuses, trigger
 * types, node types of the catalog, queue and action names): never a run, step, org or URL.
 */
const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers: [] });

/** Seconds buckets from 5 ms to 10 min: steps and runs span calls of milliseconds to long waits. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export const weftMetrics = {
  runsStarted: counter('weft_runs_started_total', 'Runs created, by trigger type (api, manual, webhook, schedule, sub_workflow, retry).', ['trigger_type']),
  runsFinished: counter('weft_runs_finished_total', 'Runs that ended, by final status and kind (run, or iteration of a for_each).', ['status', 'kind']),
  runDuration: new Histogram({
    name: 'weft_run_duration_seconds',
    help: 'From a run\'s creation to its end, by final status (runs of kind "run" only).',
    labelNames: ['status'],
    buckets: DURATION_BUCKETS,
    registers: [],
  }),
  stepDuration: new Histogram({
    name: 'weft_step_duration_seconds',
    help: 'Execution time of one step attempt in an executor, by node type and outcome.',
    labelNames: ['node_type', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [],
  }),
  reconcilerActions: counter('weft_reconciler_actions_total', 'What the reconciler did: runs woken, steps re-queued, jobs re-published.', ['action']),
  sweeperActions: counter('weft_sweeper_actions_total', 'What the sweeper did: lost steps re-queued or failed, timed-out steps and runs, timers fired.', ['action']),
  webhookVerifications: counter('weft_webhook_verifications_total', 'Signature checks of incoming webhook deliveries, by scheme and result (ok, or the refusal).', ['scheme', 'result']),
  rateLimited: counter('weft_rate_limit_rejections_total', 'Requests refused with 429 by a rate limit, by service and bucket.', ['bucket']),
  breakerTransitions: counter('weft_circuit_breaker_transitions_total', 'Circuit breaker state changes of outgoing HTTP, by the state entered (open, half_open, closed).', ['to']),
};

/** Every metric of `weftMetrics`, to register in a registry. */
export const domainMetrics = (): Metric[] => Object.values(weftMetrics) as Metric[];
