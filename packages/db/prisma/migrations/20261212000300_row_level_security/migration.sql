-- Row-level security: a second wall behind the org filter every query already carries.
--
-- Two roles (NOLOGIN; the login role of DATABASE_URL switches to them per connection, see
-- packages/db/src/scoped-pool.ts):
--   weft_app          request-driven code acting for ONE org: sees the rows whose org_id equals the
--                     transaction's `weft.org_id` setting, nothing else (no setting: nothing at all).
--   weft_maintenance  cross-org work (authentication lookups, outbox relay, sweeper, reconciler,
--                     scheduler, usage aggregation, workers acting on ids): sees every row, through
--                     an explicit policy (no BYPASSRLS, which only a superuser may grant).
-- Neither owns a table, so RLS applies to both; the owner (the migrating role) is not subject to
-- it (no FORCE): it is what WEFT_RLS=off and the migrator use.
--
-- Roles belong to the cluster, not to this database: many databases (tests) may run this at once,
-- so creation tolerates a concurrent twin. A login role that may not create roles (neither
-- superuser nor CREATEROLE) skips them with a NOTICE: the policies are still installed, and the
-- services then log that the wall is off until an administrator creates the roles (README,
-- "Row-level security").

CREATE OR REPLACE FUNCTION weft_current_org() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('weft.org_id', true), '')::uuid $$;

DO $$
DECLARE
  r text;
  may_create boolean;
BEGIN
  SELECT rolsuper OR rolcreaterole INTO may_create FROM pg_roles WHERE rolname = current_user;
  FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      IF may_create THEN
        BEGIN
          EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL; -- another database's migration created it first
        END;
      ELSE
        RAISE NOTICE 'row-level security: role % does not exist and % may not create it; the wall stays off until an administrator runs CREATE ROLE % NOLOGIN; GRANT % TO %', r, current_user, r, r, current_user;
      END IF;
    END IF;
    -- A superuser may SET ROLE to any role; any other login role needs the membership.
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
       AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, r, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', r, current_user);
      EXCEPTION WHEN insufficient_privilege OR unique_violation THEN
        RAISE NOTICE 'row-level security: could not grant % to %: %', r, current_user, SQLERRM;
      END;
    END IF;
  END LOOP;
END $$;

-- Table rights (per database). Later migrations' tables get them through the default privileges.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', r);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', r);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', r);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', r);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', r);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I', r);
    -- The audit log is append-only (its triggers refuse the owner too): the roles may not even ask.
    EXECUTE format('REVOKE UPDATE, DELETE ON TABLE audit_logs FROM %I', r);
    -- The migration history is the migrator's alone.
    IF to_regclass('_prisma_migrations') IS NOT NULL THEN
      EXECUTE format('REVOKE ALL ON TABLE _prisma_migrations FROM %I', r);
    END IF;
  END LOOP;
END $$;

-- Every org-owned table (a meta-test, packages/db/src/rls.test.ts, fails when a table with an
-- org_id column is missing here). A new org-owned table adds the same two policies in its migration.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'memberships', 'api_keys', 'invitations', 'audit_logs',
    'workflows', 'workflow_versions',
    'runs', 'run_steps', 'run_events', 'run_logs', 'outbox',
    'secrets', 'secret_versions',
    'webhooks', 'webhook_secrets', 'webhook_deliveries',
    'schedules', 'schedule_fires',
    'templates', 'template_versions', 'installations', 'profiles', 'submissions', 'moderation_events',
    'usage_events'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
      EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
    END IF;
  END LOOP;
END $$;
