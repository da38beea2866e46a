-- The org of a run, for a worker whose job names only the run (packages/run-store/src/run-orgs.ts).
--
-- Jobs carry ids only and never say which org they act for, so a worker reads the run's org from
-- its row before acting for that org. Read as weft_maintenance, that lookup switched the pooled
-- connection to the maintenance role and back to the org (two extra statements per run and
-- service, bench `hops`: "where a run's start goes"). This function answers it as its owner (the
-- migrating role, which row-level security does not bind), callable by weft_app and
-- weft_maintenance under whatever scope the connection has:
--   - reads runs.org_id of ONE run, by its id; returns that org id or NULL (no such run);
--   - reveals only which org owns a run whose id the caller already holds (a UUIDv7 it was given).
CREATE OR REPLACE FUNCTION weft_run_org(run_id uuid)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
  AS $fn$ SELECT org_id FROM public.runs WHERE id = run_id $fn$;

REVOKE ALL ON FUNCTION weft_run_org(uuid) FROM PUBLIC;
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
    EXECUTE format('GRANT EXECUTE ON FUNCTION weft_run_org(uuid) TO %I', r);
  END LOOP;
END $$;
