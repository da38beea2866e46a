-- Runs know their trigger, and schedules fire exactly once (issue 15).
-- runs.trigger_type: api | manual | webhook | schedule | sub_workflow | retry; runs.trigger_id: the
-- schedule, webhook or parent run. Both indexes are partial (issue 5: api runs, the hot path, add
-- no index entry): the list filter for the other types, and a schedule's live runs (overlap).
-- schedule_fires: one row per (schedule_id, nominal_time), inserted in the transaction that creates
-- the run: the unique key is what makes each nominal time fire once, whatever number of schedulers.
-- Predicates are listed in packages/db/src/partial-indexes.ts.

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "trigger_id" UUID,
ADD COLUMN "trigger_type" TEXT NOT NULL DEFAULT 'api';

-- AlterTable
ALTER TABLE "schedules" ADD COLUMN "buffered_at" TIMESTAMPTZ(3),
ADD COLUMN "catchup" TEXT NOT NULL DEFAULT 'latest',
ADD COLUMN "overlap" TEXT NOT NULL DEFAULT 'skip',
ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "schedule_fires" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "nominal_time" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_fires_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "schedule_fires_schedule_id_nominal_time_key" ON "schedule_fires"("schedule_id", "nominal_time");

-- CreateIndex
CREATE INDEX "runs_org_id_trigger_type_id_idx" ON "runs"("org_id", "trigger_type", "id") WHERE "trigger_type" <> 'api';

-- CreateIndex
CREATE INDEX "runs_trigger_id_status_idx" ON "runs"("trigger_id", "status") WHERE "trigger_id" IS NOT NULL;

-- CreateIndex
CREATE INDEX "schedules_org_id_workflow_id_id_idx" ON "schedules"("org_id", "workflow_id", "id");

-- CreateIndex
CREATE INDEX "schedules_buffered_at_idx" ON "schedules"("buffered_at") WHERE "buffered_at" IS NOT NULL;
