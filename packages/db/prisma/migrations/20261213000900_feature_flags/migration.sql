-- Feature flags (beta features per org): a default per flag, and per-org overrides set by platform
-- admins. Flags are declared in code (packages/flags/src/catalog.ts); a row here only changes one.

CREATE TABLE feature_flags (
  key         text PRIMARY KEY,
  enabled     boolean NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_by  uuid
);

CREATE TABLE org_feature_flags (
  org_id      uuid NOT NULL,
  key         text NOT NULL,
  enabled     boolean NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_by  uuid,
  PRIMARY KEY (org_id, key)
);

-- Org-owned: the same two policies as every other org-owned table (20261212000300).
ALTER TABLE org_feature_flags ENABLE ROW LEVEL SECURITY;
CREATE POLICY weft_org_isolation ON org_feature_flags USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org());
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
    CREATE POLICY weft_maintenance_all ON org_feature_flags TO weft_maintenance USING (true) WITH CHECK (true);
  END IF;
END $$;
