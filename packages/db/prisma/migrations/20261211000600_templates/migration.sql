-- Templates (issue 17): publish from a workflow version, moderation, a public gallery with
-- full-text search, installations with credential mappings, creator profiles.
-- templates.status: draft | pending | approved | rejected | published | unpublished (only
-- published ones are public; public_version is the version the gallery shows and installs).
-- Search: an expression GIN index over weft_template_search(name, summary, readme, tags); the
-- gallery query uses the same expression, so the index serves it (no stored tsvector column).
-- Moderators: users.is_platform_admin, and owner keys of the platform org (WEFT_PLATFORM_ORG).

-- AlterTable
ALTER TABLE "users" ADD COLUMN "is_platform_admin" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "templates" ADD COLUMN "summary" TEXT NOT NULL DEFAULT '',
ADD COLUMN "readme" TEXT NOT NULL DEFAULT '',
ADD COLUMN "tags" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "status" TEXT NOT NULL DEFAULT 'draft',
ADD COLUMN "rejection_reason" TEXT,
ADD COLUMN "installs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "public_version" INTEGER,
ADD COLUMN "profile_id" UUID,
ADD COLUMN "published_at" TIMESTAMPTZ(3),
ADD COLUMN "created_by" TEXT;

-- AlterTable
ALTER TABLE "template_versions" ADD COLUMN "workflow_version_id" UUID,
ADD COLUMN "credentials" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "domains" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "integrations" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "warnings" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "created_by" TEXT;

-- AlterTable
ALTER TABLE "installations" ADD COLUMN "name" TEXT NOT NULL DEFAULT '',
ADD COLUMN "credentials" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "created_by" TEXT;

-- AlterTable (nothing wrote these tables before this migration)
ALTER TABLE "submissions" ADD COLUMN "template_id" UUID NOT NULL,
ADD COLUMN "reason" TEXT;

-- AlterTable
ALTER TABLE "moderation_events" ADD COLUMN "template_id" UUID NOT NULL,
ADD COLUMN "actor_type" TEXT NOT NULL DEFAULT 'api_key';

-- CreateIndex
CREATE INDEX "templates_status_installs_idx" ON "templates"("status", "installs");

-- CreateIndex
CREATE INDEX "submissions_template_id_idx" ON "submissions"("template_id");

-- CreateIndex
CREATE INDEX "moderation_events_template_id_created_at_idx" ON "moderation_events"("template_id", "created_at");

-- The searchable text of a template, weighted: name (A), summary and tags (B), readme (C).
-- IMMUTABLE (to_tsvector with an explicit configuration is), so it can back an index.
CREATE FUNCTION weft_template_search(name TEXT, summary TEXT, readme TEXT, tags JSONB) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
      || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
      || setweight(to_tsvector('english'::regconfig, coalesce((SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(tags) AS t), '')), 'B')
      || setweight(to_tsvector('english'::regconfig, coalesce(readme, '')), 'C')
$$;

-- CreateIndex
CREATE INDEX "templates_search_idx" ON "templates" USING GIN (weft_template_search("name", "summary", "readme", "tags"));
