-- AlterTable
ALTER TABLE "run_steps" ADD COLUMN     "handle" TEXT,
ADD COLUMN     "input" JSONB,
ADD COLUMN     "items_done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "items_failed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "items_total" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "node_type" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "timeout_ms" INTEGER;

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "body_path" TEXT,
ADD COLUMN     "item_index" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'run',
ADD COLUMN     "retry_request" JSONB;

-- CreateIndex
CREATE INDEX "run_steps_status_available_at_idx" ON "run_steps"("status", "available_at");

-- CreateIndex
CREATE INDEX "run_steps_status_deadline_at_idx" ON "run_steps"("status", "deadline_at");

-- CreateIndex
CREATE INDEX "runs_parent_step_id_status_item_index_idx" ON "runs"("parent_step_id", "status", "item_index");

-- UUIDv7 for rows created in bulk by SQL (for_each iterations), so ids stay time-ordered like the
-- application's. Layout per RFC 9562: 48-bit ms timestamp, version 7, variant 10, random bits.
CREATE OR REPLACE FUNCTION weft_uuidv7() RETURNS uuid AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid;
$$ LANGUAGE sql VOLATILE;
