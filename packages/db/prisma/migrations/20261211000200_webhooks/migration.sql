-- Webhooks (issue 15): the two tables of the first migration had no code and no rows; they are
-- replaced by the shape the webhooks service uses. webhooks: scheme, mode, sync timeout, input
-- allow-list, enabled/deleted (a deleted hook answers 410). webhook_secrets: the signing secrets,
-- envelope-encrypted like secret_versions, several valid at once during a rotation's grace period.
-- webhook_deliveries: the delivery log; (webhook_id, dedupe_key) unique is the dedupe (NULL keys,
-- i.e. refused and deduped deliveries, never conflict).

-- DropTable
DROP TABLE "webhook_deliveries";

-- DropTable
DROP TABLE "webhooks";

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "scheme" TEXT NOT NULL,
    "header" TEXT,
    "dedupe_header" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'async',
    "sync_timeout_ms" INTEGER NOT NULL DEFAULT 10000,
    "inputs" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_secrets" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "kek_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "dedupe_key" TEXT,
    "status" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "reason" TEXT,
    "http_status" INTEGER NOT NULL,
    "run_id" UUID,
    "inputs" JSONB,
    "replay_of" UUID,
    "latency_ms" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhooks_org_id_workflow_id_id_idx" ON "webhooks"("org_id", "workflow_id", "id");

-- CreateIndex
CREATE INDEX "webhook_secrets_webhook_id_idx" ON "webhook_secrets"("webhook_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_org_id_webhook_id_id_idx" ON "webhook_deliveries"("org_id", "webhook_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_webhook_id_dedupe_key_key" ON "webhook_deliveries"("webhook_id", "dedupe_key");
