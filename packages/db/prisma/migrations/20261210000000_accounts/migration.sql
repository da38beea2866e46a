-- Accounts, roles and keys (issue 14).
-- Roles are now viewer | operator | editor | admin | owner (packages/workflow-schema/src/access.ts).
-- Until now the only keys were the bootstrap key (admin) and keys inserted by hand. The bootstrap
-- key becomes the default org's owner key (owner = admin + deleting the org), so that the
-- installation has one key that can mint keys of every role. Any role outside the matrix grants
-- nothing (the gateway fails closed), so no other row needs rewriting.
UPDATE "api_keys" SET "role" = 'owner' WHERE "name" = 'bootstrap' AND "role" = 'admin';

ALTER TABLE "api_keys" ADD COLUMN "expires_at" TIMESTAMPTZ(3),
ADD COLUMN "created_by" TEXT;

-- Who created or published what: `api_key:<id>` or `user:<id>`.
ALTER TABLE "workflows" ADD COLUMN "created_by" TEXT;
ALTER TABLE "workflow_versions" ADD COLUMN "published_by" TEXT;
ALTER TABLE "runs" ADD COLUMN "created_by" TEXT;

-- The audit log pages newest first (ids are UUIDv7), optionally of one action.
CREATE INDEX "audit_logs_org_id_id_idx" ON "audit_logs"("org_id", "id");
CREATE INDEX "audit_logs_org_id_action_id_idx" ON "audit_logs"("org_id", "action", "id");

-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whatever the application does.
CREATE FUNCTION "audit_logs_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_logs_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_logs"
  FOR EACH ROW EXECUTE FUNCTION "audit_logs_append_only"();
CREATE TRIGGER "audit_logs_no_truncate" BEFORE TRUNCATE ON "audit_logs"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_logs_append_only"();
