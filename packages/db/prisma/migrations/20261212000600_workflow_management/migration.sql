-- Issue 16: workflow management (tags, enable/disable, delete as archive) and test runs of drafts.
-- Every new column has a constant default, so none of these rewrites its table.
ALTER TABLE "workflows" ADD COLUMN "tags" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "deleted_at" TIMESTAMPTZ(3);

-- A test run's version row is a snapshot of the draft: no version number, never listed.
ALTER TABLE "workflow_versions" ALTER COLUMN "version" DROP NOT NULL;

ALTER TABLE "runs" ADD COLUMN "test" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "pinned_outputs" JSONB;
