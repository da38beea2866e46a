-- Error workflows (issue 13): a run of a workflow's settings.errorWorkflowId, started when a run
-- fails, records the failed run it reports. A run that is, or descends from, such an error run
-- starts no error run when it fails (no loops). No index: it is read along a run's parent chain.
ALTER TABLE "runs" ADD COLUMN "error_of_run_id" UUID;
