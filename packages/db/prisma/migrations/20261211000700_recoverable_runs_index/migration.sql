-- The reconciler's idle-run pass (run-store idleRunCandidates) walks runs in id order looking for live
-- runs with something to fold in, or a retry request. Without this index it visited every run ever
-- made (the primary key in id order, filtered): every ended run read to find none. Only live runs and
-- runs with a pending retry are in it, so ended runs cost nothing, neither to read nor to write.
CREATE INDEX "runs_recoverable_id_idx" ON "runs"("id") WHERE "status" IN ('queued', 'running', 'waiting') OR "retry_request" IS NOT NULL;
