/**
 * Metering (issue 18, docs/operating/usage.md): the usage_events rows written by the statements
 * that do what they measure, so a row exists exactly when its run or step attempt committed.
 *
 * Kinds: `run` (1 per run started: API, manual, draft test, webhook, schedule, rerun, sub-workflow
 * child, error workflow; for_each item runs are part of their parent's run and are not counted),
 * `step_ms` (execution milliseconds of one executor step attempt, `data.nodeType`: a retried step
 * is counted once per attempt), `llm_tokens_in` / `llm_tokens_out` (`data.model`), `http_bytes`
 * (request + response body bytes of a step attempt's outgoing HTTP calls). The list of kinds:
 * USAGE_KINDS of @weft/workflow-schema.
 */
/**
 * A CTE body metering one `run` for each row of `source` (a CTE that inserted runs and returns
 * `id`, `org_id`, `workflow_id`): in the run's own statement.
 */
export const meterRunsFrom = (source: string) => `INSERT INTO usage_events (id, org_id, run_id, workflow_id, kind, quantity)
       SELECT weft_uuidv7(), ${source}.org_id, ${source}.id, ${source}.workflow_id, 'run', 1 FROM ${source}`;
