-- Keyset pagination of a run's steps (GET /v1/runs/:id/steps, and the first page GET /v1/runs/:id
-- holds): ORDER BY id after a cursor id, within one run. Without it every page read and sorted all
-- the run's steps (a bitmap scan of run_steps_run_id_node_id_attempt_key: ~5 ms per page of a
-- 10,000-step run, however small the page); with it a page reads its own rows only. One more
-- B-tree insert per step row, the price of not answering a run's steps in one piece.
CREATE INDEX "run_steps_run_id_id_idx" ON "run_steps"("run_id", "id");
