-- Org deletion (DELETE /v1/orgs/:id): a deleted org keeps its row (and its slug) with the time of deletion.
ALTER TABLE "orgs" ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
