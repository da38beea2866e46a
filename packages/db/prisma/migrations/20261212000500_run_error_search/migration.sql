-- Free-text search over run error messages (GET /v1/runs?q=, the dashboard's runs filter), and the
-- dashboard's list queries at 10,000,000 runs (bench row runs10m).
--
-- runs.error_text: the error's message as text (a stored generated column; Prisma never writes it,
-- run-store reads it with raw SQL). A run's error is `{ code, message, ... }`, or a plain string.
-- Capped at 1,000 characters: the search is over what a person reads, not over a stack dump.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

ALTER TABLE "runs" ADD COLUMN "error_text" TEXT GENERATED ALWAYS AS (
  left(CASE jsonb_typeof("error") WHEN 'string' THEN "error" #>> '{}' ELSE "error" ->> 'message' END, 1000)
) STORED;

-- A rare term: the trigram GIN finds the org's matching runs (org_id first, btree_gin), then the
-- newest 50 of them are sorted. Only top-level runs with an error are in it.
CREATE INDEX "runs_error_text_trgm_idx" ON "runs" USING GIN ("org_id", "error_text" gin_trgm_ops) WHERE "error_text" IS NOT NULL AND "kind" = 'run';

-- A common term: the org's failed runs newest first, the text and the other filters' columns in
-- the index (an index-only scan that stops at the 51st match), no heap read per candidate.
CREATE INDEX "runs_error_text_id_idx" ON "runs" ("org_id", "id") INCLUDE ("error_text", "workflow_id", "status", "trigger_type") WHERE "error_text" IS NOT NULL AND "kind" = 'run';
