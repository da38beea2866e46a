-- Templates (issue 17): publish from a workflow version, moderation, a public gallery with
-- full-text search, installations with credential mappings, creator profiles.
-- templates.status: draft | pending | approved | rejected | published | unpublished (only
-- published ones are public; public_version is the version the gallery shows and installs).
-- Search: templates.search, a stored generated tsvector (weft_template_search of name, summary,
-- readme, tags) with a GIN index; stored so ranking reads it instead of re-parsing every match.
-- schema.prisma cannot declare it (packages/db/src/partial-indexes.ts lists it for the schema test).
-- Moderators: owner keys of the platform org (WEFT_PLATFORM_ORG); users.platform_admin (sign-in migration) is planned to count too.

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
-- IMMUTABLE (to_tsvector with an explicit configuration is), so a generated column can use it;
-- tags that are not an array (Prisma may write any JSON) add nothing rather than failing the write.
CREATE FUNCTION weft_template_search(name TEXT, summary TEXT, readme TEXT, tags JSONB) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
      || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
      || setweight(to_tsvector('english'::regconfig, CASE WHEN jsonb_typeof(tags) = 'array' THEN coalesce((SELECT string_agg(t #>> '{}', ' ') FROM jsonb_array_elements(tags) AS t), '') ELSE '' END), 'B')
      || setweight(to_tsvector('english'::regconfig, coalesce(readme, '')), 'C')
$$;

ALTER TABLE "templates" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (weft_template_search("name", "summary", "readme", "tags")) STORED;

-- CreateIndex
CREATE INDEX "templates_search_idx" ON "templates" USING GIN ("search");
