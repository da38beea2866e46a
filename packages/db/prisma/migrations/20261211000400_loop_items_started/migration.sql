-- for_each progress is counted by the parent from its iteration runs (issue 13): an iteration's end
-- no longer updates its loop step's row (a hot row every iteration locked, and a deadlock with the
-- parent cancelling its children). run_steps.items_started: iterations the parent has started
-- (written by the parent's transition only), so that items done = started - still active, a count
-- over at most `concurrency` rows. Loops running at upgrade get their count from their runs.

-- AlterTable
ALTER TABLE "run_steps" ADD COLUMN "items_started" INTEGER NOT NULL DEFAULT 0;

UPDATE "run_steps" s SET "items_started" = (SELECT count(*) FROM "runs" r WHERE r."parent_step_id" = s."id" AND r."status" <> 'pending')
WHERE s."node_type" = 'for_each' AND s."status" = 'running';
