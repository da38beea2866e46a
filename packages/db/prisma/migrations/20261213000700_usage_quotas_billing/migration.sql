-- Usage, quotas and a billing prototype (issue 18, "Usage, quotas, billing prototype"; docs/operating/usage.md).
--
-- usage_events gains the workflow a row belongs to (every metered row belongs to a run, so to a
-- workflow); usage_daily holds the daily aggregation's totals per org, day, kind, node type and
-- workflow (UPSERTed by the orchestrator's aggregation job, re-runnable); plans carry the quotas and
-- the prices of a metered unit (integer micro-units); every org has a plan (the default one is
-- unlimited) and, for the Stripe adapter, a Stripe customer id; billing_meter_reports remembers
-- which meter events were reported (the identifier Stripe deduplicates on).

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN "workflow_id" UUID;

-- AlterTable (a schedule fire skipped by a quota says which)
ALTER TABLE "schedule_fires" ADD COLUMN "reason" TEXT;

-- CreateTable
CREATE TABLE "plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "runs_per_month" BIGINT,
    "step_seconds_per_month" BIGINT,
    "concurrent_runs" INTEGER,
    "prices" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- The default plan: no quota at all (the bootstrap org's, and every org's until given another).
INSERT INTO "plans" ("id", "name", "prices") VALUES
  ('default', 'Default (unlimited)', '{"run": 1000, "step_ms": 10, "llm_tokens_in": 2, "llm_tokens_out": 8, "http_bytes": 0}');

-- AlterTable
ALTER TABLE "orgs" ADD COLUMN "plan_id" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN "stripe_customer_id" TEXT;

-- No foreign key to plans: an org whose plan id names no plan is on the default plan (packages/billing plans.ts).

-- CreateTable
CREATE TABLE "usage_daily" (
    "org_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "node_type" TEXT NOT NULL DEFAULT '',
    "workflow_id" UUID NOT NULL,
    "quantity" BIGINT NOT NULL,
    "events" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("org_id","day","kind","node_type","workflow_id")
);

-- CreateTable (the installation's, not an org's: days the aggregation closed)
CREATE TABLE "usage_closed_days" (
    "day" DATE NOT NULL,
    "aggregated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_closed_days_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "billing_meter_reports" (
    "identifier" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_meter_reports_pkey" PRIMARY KEY ("identifier")
);

-- CreateIndex
CREATE INDEX "billing_meter_reports_org_id_day_idx" ON "billing_meter_reports"("org_id", "day");

-- Row-level security like every org-owned table (migration 20261212000300_row_level_security).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['usage_daily', 'billing_meter_reports'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
      EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
    END IF;
  END LOOP;
END $$;

-- Grants (the default privileges of the RLS migration cover new tables; said again for clarity).
-- Plans are the installation's, not an org's: the app role reads them only.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE usage_daily, billing_meter_reports TO %I', r);
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_app') THEN
    REVOKE INSERT, UPDATE, DELETE ON TABLE plans FROM weft_app;
    GRANT SELECT ON TABLE plans TO weft_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE plans TO weft_maintenance;
  END IF;
END $$;
