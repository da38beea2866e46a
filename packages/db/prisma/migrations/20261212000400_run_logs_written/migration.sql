-- Run logs are written for real (issue 16): each step attempt's lines go in with its completion.
-- Lines are read in id order (UUIDv7 made when the line was said), paged by id: the index follows.
-- node_id lets a page say which node a line is about without joining run_steps.
ALTER TABLE "run_logs" ADD COLUMN "node_id" TEXT;
DROP INDEX IF EXISTS "run_logs_run_id_ts_idx";
CREATE INDEX "run_logs_run_id_id_idx" ON "run_logs"("run_id", "id");
