-- GET /v1/runs?q=…&test=…: the search applies the `test` filter itself (before its limit), so a
-- page of runs searched by error text is full when enough runs match. The keyset index of the
-- search's first step carries every filter's column, so that step stays an index-only scan.
DROP INDEX IF EXISTS "runs_error_text_id_idx";
CREATE INDEX "runs_error_text_id_idx" ON "runs" ("org_id", "id") INCLUDE ("error_text", "workflow_id", "status", "trigger_type", "test") WHERE "error_text" IS NOT NULL AND "kind" = 'run';
