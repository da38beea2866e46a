-- Write cost of the hot tables (issue 5). Every run writes its run row, about nine events and a
-- step row per node, and each index is one more B-tree insert (and WAL record) per row: a 3-step
-- run made ~70. Indexes that serve only rows in some state become partial (a finished step, a run
-- without a deadline or a parent, a run without an idempotency key is not in them), and indexes
-- no query uses are dropped (lookups by run go through the (run_id, ...) unique indexes, which also
-- serve the org-scoped queries: they filter org_id on the run's own rows).
-- schema.prisma keeps the columns of each index; the predicates are listed in packages/db/src/partial-indexes.ts.

-- runs
DROP INDEX "runs_org_id_idempotency_key_key";
CREATE UNIQUE INDEX "runs_org_id_idempotency_key_key" ON "runs"("org_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL;

DROP INDEX "runs_status_deadline_at_idx";
CREATE INDEX "runs_status_deadline_at_idx" ON "runs"("status", "deadline_at") WHERE "deadline_at" IS NOT NULL AND "status" IN ('queued', 'running', 'waiting');

DROP INDEX "runs_parent_run_id_idx";
CREATE INDEX "runs_parent_run_id_idx" ON "runs"("parent_run_id") WHERE "parent_run_id" IS NOT NULL;

DROP INDEX "runs_parent_step_id_status_item_index_idx";
CREATE INDEX "runs_parent_step_id_status_item_index_idx" ON "runs"("parent_step_id", "status", "item_index") WHERE "parent_step_id" IS NOT NULL;

-- run_steps
DROP INDEX "run_steps_org_id_run_id_idx";
DROP INDEX "run_steps_status_lease_expires_at_idx";

DROP INDEX "run_steps_run_id_applied_idx";
CREATE INDEX "run_steps_run_id_applied_idx" ON "run_steps"("run_id", "applied") WHERE "applied" = false;

DROP INDEX "run_steps_status_available_at_idx";
CREATE INDEX "run_steps_status_available_at_idx" ON "run_steps"("status", "available_at") WHERE "status" IN ('queued', 'waiting');

DROP INDEX "run_steps_status_deadline_at_idx";
CREATE INDEX "run_steps_status_deadline_at_idx" ON "run_steps"("status", "deadline_at") WHERE "status" = 'running';

-- run_events
DROP INDEX "run_events_org_id_run_id_idx";
