-- Retention of run data (docs/operating/retention.md).
--
-- 1. Each org keeps the step inputs/outputs and logs of its finished runs for `retention_days`
--    (default 30; the API takes 1 to 365); the orchestrator's retention job then clears them, keeping each run as a
--    summary row (status, timings, error), and stamps `runs.data_purged_at`.
ALTER TABLE "orgs" ADD COLUMN "retention_days" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "runs" ADD COLUMN "data_purged_at" TIMESTAMPTZ(3);
-- The job's queue: finished runs whose data is still there, oldest end first. A run enters it when
-- it finishes (one index entry per run) and leaves it when purged.
CREATE INDEX "runs_retention_due_idx" ON "runs" ("finished_at") WHERE "finished_at" IS NOT NULL AND "data_purged_at" IS NULL;

-- 2. run_logs becomes partitioned by week of `ts` (when the line was said), so that old lines go
--    by dropping a whole partition, not by deleting rows of the table every step writes to. The
--    partition key is part of every unique index (the primary key is (id, ts)). A DEFAULT
--    partition takes lines outside every weekly partition (a skewed clock): never lost, deleted
--    run by run. Partitions are created ahead and dropped by weft_run_logs_maintain (below).
ALTER TABLE "run_logs" RENAME TO "run_logs_unpartitioned";
ALTER TABLE "run_logs_unpartitioned" RENAME CONSTRAINT "run_logs_pkey" TO "run_logs_unpartitioned_pkey";
ALTER INDEX "run_logs_run_id_id_idx" RENAME TO "run_logs_unpartitioned_run_id_id_idx";
ALTER INDEX "run_logs_org_id_run_id_idx" RENAME TO "run_logs_unpartitioned_org_id_run_id_idx";

CREATE TABLE "run_logs" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "msg" TEXT NOT NULL,
    "data" JSONB,
    "node_id" TEXT,
    CONSTRAINT "run_logs_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");
CREATE INDEX "run_logs_run_id_id_idx" ON "run_logs" ("run_id", "id");
CREATE INDEX "run_logs_org_id_run_id_idx" ON "run_logs" ("org_id", "run_id");

-- Row-level security of a run_logs table (the parent, each partition): as every org-owned table.
CREATE FUNCTION weft_run_logs_guard(t text) RETURNS void
  LANGUAGE plpgsql SET search_path = public, pg_temp
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
    EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
  END IF;
END $$;

SELECT weft_run_logs_guard('run_logs');
CREATE TABLE "run_logs_default" PARTITION OF "run_logs" DEFAULT;
SELECT weft_run_logs_guard('run_logs_default');

-- The weekly partition (Monday 00:00 UTC to the next) holding `at`, created when missing: built
-- apart and attached (ATTACH takes a SHARE UPDATE EXCLUSIVE lock on run_logs, which writers do not
-- wait for; its CHECK constraint spares the scan of the new table). Its name: run_logs_pYYYYMMDD.
CREATE FUNCTION weft_run_logs_partition(at timestamptz) RETURNS text
  LANGUAGE plpgsql SET search_path = public, pg_temp
  AS $$
DECLARE
  lo timestamptz := date_trunc('week', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  hi timestamptz := lo + interval '7 days';
  part text := 'run_logs_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYYMMDD');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE run_logs INCLUDING DEFAULTS)', part);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (ts >= %L AND ts < %L)', part, part || '_bounds', lo, hi);
  EXECUTE format('ALTER TABLE run_logs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bounds');
  PERFORM weft_run_logs_guard(part);
  RETURN part;
END $$;

-- Creates the partitions of this week and the next `weeks_ahead`, and drops every weekly partition
-- that has ended and holds no line of a run whose data is still kept: every run created before the
-- partition's end (a line is said after its run is created; an hour allows for clock skew) has
-- been purged (data_purged_at) by the retention job, which deleted its lines. What is left to
-- drop is then the space of those deleted lines: a whole table at once, no row-by-row DELETE, no
-- VACUUM. One caller at a time (advisory lock); callers set a short lock_timeout, the DROP takes
-- ACCESS EXCLUSIVE on run_logs for an instant. SECURITY DEFINER: the maintenance role may run
-- it (it owns no table), the app role may not.
CREATE FUNCTION weft_run_logs_maintain(weeks_ahead integer DEFAULT 4)
  RETURNS TABLE (action text, partition text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  p record;
  hi timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('weft_run_logs_maintain'));
  FOR w IN 0..weeks_ahead LOOP
    IF to_regclass('run_logs_p' || to_char(date_trunc('week', (now() + make_interval(weeks => w)) AT TIME ZONE 'UTC'), 'YYYYMMDD')) IS NULL THEN
      action := 'created';
      partition := weft_run_logs_partition(now() + make_interval(weeks => w));
      RETURN NEXT;
    END IF;
  END LOOP;
  FOR p IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'run_logs'::regclass AND c.relname ~ '^run_logs_p[0-9]{8}$' ORDER BY c.relname
  LOOP
    hi := (to_date(substr(p.relname, 11), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC') + interval '7 days';
    CONTINUE WHEN hi > now();
    -- Live runs (their partial index), then finished runs not purged yet (runs_retention_due_idx).
    EXIT WHEN EXISTS (SELECT 1 FROM runs WHERE status IN ('queued', 'running', 'waiting') AND created_at < hi + interval '1 hour')
      OR EXISTS (SELECT 1 FROM runs WHERE finished_at IS NOT NULL AND data_purged_at IS NULL AND created_at < hi + interval '1 hour');
    EXECUTE format('DROP TABLE %I', p.relname);
    action := 'dropped';
    partition := p.relname;
    RETURN NEXT;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION weft_run_logs_maintain(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION weft_run_logs_partition(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION weft_run_logs_guard(text) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_app') THEN
    REVOKE ALL ON FUNCTION weft_run_logs_maintain(integer) FROM weft_app;
    REVOKE ALL ON FUNCTION weft_run_logs_partition(timestamptz) FROM weft_app;
    REVOKE ALL ON FUNCTION weft_run_logs_guard(text) FROM weft_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
    REVOKE ALL ON FUNCTION weft_run_logs_partition(timestamptz) FROM weft_maintenance;
    REVOKE ALL ON FUNCTION weft_run_logs_guard(text) FROM weft_maintenance;
    GRANT EXECUTE ON FUNCTION weft_run_logs_maintain(integer) TO weft_maintenance;
  END IF;
END $$;

-- Weekly partitions for the lines already written, and for the weeks ahead; then the lines move in.
DO $$
DECLARE
  first timestamptz;
BEGIN
  SELECT min(ts) INTO first FROM run_logs_unpartitioned;
  WHILE first IS NOT NULL AND first < now() LOOP
    PERFORM weft_run_logs_partition(first);
    first := first + interval '7 days';
  END LOOP;
END $$;
SELECT weft_run_logs_partition(now() + make_interval(weeks => w)) FROM generate_series(0, 4) AS w;
INSERT INTO "run_logs" ("id", "org_id", "run_id", "step_id", "ts", "level", "msg", "data", "node_id")
  SELECT "id", "org_id", "run_id", "step_id", "ts", "level", "msg", "data", "node_id" FROM "run_logs_unpartitioned";
DROP TABLE "run_logs_unpartitioned";
