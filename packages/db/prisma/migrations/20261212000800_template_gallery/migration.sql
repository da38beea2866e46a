-- Template gallery (issue 17, the UI part): creator profiles get an avatar and links; an
-- installation remembers where its installer came from (referral source: gallery, profile, share,
-- an outside site's host, or direct); template_views counts page views per template, day and
-- source: counters only, no visitor data at all (no ip, no user, no org).

-- AlterTable
ALTER TABLE "profiles" ADD COLUMN "avatar_url" TEXT NOT NULL DEFAULT '',
ADD COLUMN "links" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "installations" ADD COLUMN "source" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "template_views" (
    "template_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "template_views_pkey" PRIMARY KEY ("template_id","day","source")
);

-- CreateIndex (trending: installs of the last days per template)
CREATE INDEX "installations_template_id_created_at_idx" ON "installations"("template_id", "created_at");
