-- Alerts (issue 18): per-workflow rules, incidents (one per rule at a time: de-duplication) and
-- deliveries with their attempts. docs/operating/alerts.md.

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "condition" JSONB NOT NULL,
    "notify_recovery" BOOLEAN NOT NULL DEFAULT true,
    "channel" TEXT NOT NULL,
    "target" JSONB NOT NULL DEFAULT '{}',
    "ciphertext" BYTEA,
    "nonce" BYTEA,
    "wrapped_key" BYTEA,
    "kek_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_incidents" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "first_run_id" UUID NOT NULL,
    "last_run_id" UUID NOT NULL,
    "recovery_run_id" UUID,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "incident_id" UUID,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery_attempts" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "response_code" INTEGER,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_delivery_attempts_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "alert_rules_org_id_workflow_id_id_idx" ON "alert_rules"("org_id", "workflow_id", "id");
-- The trigger below asks this for every run that ends.
CREATE INDEX "alert_rules_workflow_id_idx" ON "alert_rules"("workflow_id");
-- One open incident per rule: two evaluations racing cannot open two (partial: resolved ones pile up).
CREATE UNIQUE INDEX "alert_incidents_rule_id_key" ON "alert_incidents"("rule_id") WHERE status = 'open';
CREATE INDEX "alert_incidents_org_id_workflow_id_id_idx" ON "alert_incidents"("org_id", "workflow_id", "id");
CREATE INDEX "alert_incidents_rule_id_id_idx" ON "alert_incidents"("rule_id", "id");
CREATE INDEX "alert_deliveries_rule_id_id_idx" ON "alert_deliveries"("rule_id", "id");
-- No foreign keys, as everywhere in this schema: deleting a rule deletes its rows itself.
CREATE INDEX "alert_delivery_attempts_delivery_id_attempt_idx" ON "alert_delivery_attempts"("delivery_id", "attempt");


-- Row-level security, as every org-owned table (20261212000300_row_level_security).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['alert_rules', 'alert_incidents', 'alert_deliveries', 'alert_delivery_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
      EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
    END IF;
  END LOOP;
END $$;

-- A run of a workflow with an enabled alert rule that ends (succeeded or failed) queues its
-- evaluation through the outbox, in the transaction that ends it: every path that ends a run
-- (the orchestrator's transitions, the executor's settle-in-place, batched writes, error paths)
-- is covered without each naming alerts, no evaluation is queued before the end commits, and a
-- crash after the commit leaves the outbox row to the relay. For_each iterations and test runs
-- are not runs of their own here. The job id carries the run's event sequence: a run retried and
-- ending again is evaluated again.
CREATE FUNCTION weft_queue_alert_evaluation() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.kind = 'run' AND NOT NEW.test
     AND EXISTS (SELECT 1 FROM alert_rules r WHERE r.workflow_id = NEW.workflow_id AND r.org_id = NEW.org_id AND r.enabled) THEN
    INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
    VALUES (NEW.org_id, 'alerts', 'evaluate-alerts', 'alerts.' || NEW.id || '.' || NEW.last_seq, jsonb_build_object('runId', NEW.id));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER runs_queue_alert_evaluation
  AFTER UPDATE OF status ON runs
  FOR EACH ROW
  WHEN (NEW.status IN ('succeeded', 'failed') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION weft_queue_alert_evaluation();
