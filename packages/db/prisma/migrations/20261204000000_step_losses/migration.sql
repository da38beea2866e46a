-- A step lost with its worker (issue 13): the executor holding a running step renews its lease
-- (lease_expires_at) while the step runs; the sweeper re-queues a step whose lease expired without
-- consuming one of the node's retry attempts, and counts the loss here instead. Past
-- WEFT_STEP_MAX_LOSSES losses the step fails as a poison step (`worker_lost`).
-- No new index: expired leases are looked up among running steps only
-- (run_steps_status_deadline_at_idx is partial on status = 'running').
ALTER TABLE "run_steps" ADD COLUMN "losses" INTEGER NOT NULL DEFAULT 0;
